namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// The chaos worker as a Job beside an experiment's engine resources: it runs the experiment file's load, phases and
/// criteria against the API's Service (<c>Chaos:Target</c>) while the engine injects the faults, reads the engine's
/// resources to tell when they are live (a Role that may only read them), checks the write ledger in PostgreSQL, and
/// prints its report. The experiment file itself reaches it as a ConfigMap, so that it judges the same hypothesis.
/// </summary>
public static class WorkerManifests
{
    public const string ExperimentFile = "experiment.yaml";
    public const string ExperimentsMount = "/experiments";
    public const string RunsMount = "/runs";

    /// <summary>Time for the worker beyond the phases (warm-up, the wait for a steady state, recovery that runs long).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(10);

    public static string Name(ExperimentDefinition experiment) => $"{experiment.Name}-worker";

    public static string ConfigMapName(ExperimentDefinition experiment) => $"{experiment.Name}-experiment";

    public static IReadOnlyList<ManifestMap> Documents(ExperimentDefinition experiment, ExportEngine engine)
    {
        var name = Name(experiment);
        var reads = new[] { "get", "list", "watch" };
        var rules = engine == ExportEngine.Litmus
            ? new[] { Rbac.Rule("litmuschaos.io", ["chaosengines", "chaosresults"], reads) }
            : [Rbac.Rule("chaos-mesh.org", ["podchaos", "networkchaos", "stresschaos", "workflows", "workflownodes"], reads)];
        return [.. Rbac.ServiceAccount(name, experiment.Name, rules), Job(experiment, engine, name)];
    }

    /// <summary>The experiment's own kustomization: its engine resources, the worker, the file as a ConfigMap, the worker's image.</summary>
    public static ManifestMap Kustomization(ExperimentDefinition experiment, string sourceFileName) => new()
    {
        ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
        ["kind"] = "Kustomization",
        ["namespace"] = LabTopology.Namespace,
        ["resources"] = new[] { "chaos.yaml", "worker.yaml" },
        ["configMapGenerator"] = new[]
        {
            new ManifestMap
            {
                ["name"] = ConfigMapName(experiment),
                ["files"] = new[] { $"{sourceFileName}={ExperimentFile}" },
            },
        },
        ["images"] = LabManifests.Images([LabTopology.Image("voketag-chaos")]),
    };

    private static ManifestMap Job(ExperimentDefinition experiment, ExportEngine engine, string name)
    {
        var phases = experiment.Phases;
        var deadline = (phases.Baseline ?? Limits.DefaultBaseline) + (phases.Impact ?? Limits.DefaultImpact) + (phases.Recovery ?? Limits.DefaultRecovery) + Slack;
        var labels = new ManifestMap { [LabWorkload.NameLabel] = "chaos" };
        foreach (var (key, value) in Rbac.Labels(experiment.Name))
        {
            labels[key] = value;
        }

        return new ManifestMap
        {
            ["apiVersion"] = "batch/v1",
            ["kind"] = "Job",
            ["metadata"] = Workloads.Metadata(name, labels),
            ["spec"] = new ManifestMap
            {
                ["backoffLimit"] = 0,
                ["activeDeadlineSeconds"] = (long)deadline.TotalSeconds,
                ["template"] = new ManifestMap
                {
                    ["metadata"] = new ManifestMap { ["labels"] = Rbac.Labels(experiment.Name) },
                    ["spec"] = new ManifestMap
                    {
                        ["serviceAccountName"] = name,
                        ["restartPolicy"] = "Never",
                        ["containers"] = new[] { Container(experiment, engine) },
                        ["volumes"] = new[]
                        {
                            new ManifestMap { ["name"] = "experiment", ["configMap"] = new ManifestMap { ["name"] = ConfigMapName(experiment) } },
                            new ManifestMap { ["name"] = "runs", ["emptyDir"] = new ManifestMap() },
                        },
                    },
                },
            },
        };
    }

    private static ManifestMap Container(ExperimentDefinition experiment, ExportEngine engine) => new()
    {
        ["name"] = "chaos",
        ["image"] = "voketag-chaos",
        ["env"] = new[]
        {
            Workloads.Env("Chaos__Target", LabTopology.ApiUrl),
            Workloads.Env("Chaos__Run", experiment.Name),
            Workloads.Env("Chaos__Engine", engine.Name),
            Workloads.Env("Chaos__Experiments", ExperimentsMount),
            Workloads.Env("Chaos__RunsDirectory", RunsMount),
            // The write ledger reads PostgreSQL directly, as in the lab.
            Workloads.Secret(Workloads.PostgresPasswordKey),
            Workloads.Env("ConnectionStrings__voketag", Workloads.PostgresConnection),
        },
        ["volumeMounts"] = new[]
        {
            new ManifestMap { ["name"] = "experiment", ["mountPath"] = ExperimentsMount, ["readOnly"] = true },
            new ManifestMap { ["name"] = "runs", ["mountPath"] = RunsMount },
        },
        ["resources"] = Workloads.Resources("250m", "256Mi", "1", "512Mi"),
    };
}
