namespace VokeTag.Experiments.Kubernetes.Litmus;

/// <summary>
/// An experiment file as Litmus resources: a ServiceAccount with its Role for the chaos-runner, the ChaosExperiments it
/// runs, and a ChaosEngine per fault (they run side by side; one engine's experiments would run one after another). The
/// criteria an HTTP probe can check ride on the first engine as httpProbes, so that Litmus's own verdict
/// (ChaosResult) reflects them; the rest are named as judged by the worker only.
/// </summary>
public sealed class LitmusExport : IEngineExport
{
    public ExportEngine Engine => ExportEngine.Litmus;

    public EngineResources Export(ExperimentDefinition experiment)
    {
        var mapped = experiment.Faults.Select(fault => LitmusFaults.Map(fault, experiment.Phases)).ToList();
        var mappings = mapped.Select(pair => pair.Mapping).ToList();
        if (mappings.Any(mapping => !mapping.HasEquivalent))
        {
            return EngineResources.NotExported(mappings);
        }

        var faults = mapped.Select(pair => pair.Fault!).ToList();
        var network = faults.Where(fault => fault.IsNetwork).ToList();
        if (network.Count > 1)
        {
            if (LitmusFaults.Merge(network) is not { } merged)
            {
                return EngineResources.NotExported(
                [
                    .. mappings,
                    new FaultMapping(string.Join(" + ", network.SelectMany(fault => fault.Sources).Select(FaultMapping.Name)), null,
                        "network faults on the api pods that differ in kind, settings or timing: Litmus runs one network fault on a pod at a time"),
                ]);
            }

            faults = [.. faults.Where(fault => !fault.IsNetwork).Prepend(merged).OrderBy(fault => experiment.Faults.ToList().IndexOf(fault.Sources[0]))];
        }

        var probes = new List<HttpProbe>();
        var workerOnly = new List<WorkerOnlyCriterion>();
        foreach (var criterion in experiment.Criteria)
        {
            if (HttpProbes.For(criterion, out var notProbed) is { } probe)
            {
                probes.Add(probe);
            }
            else
            {
                workerOnly.Add(notProbed!);
            }
        }

        workerOnly.AddRange(HttpProbes.Ledger);
        var account = $"{experiment.Name}-chaos";
        var engines = faults.Select((fault, index) => ChaosEngine(experiment, fault, faults.Count == 1 ? experiment.Name : $"{experiment.Name}-{FaultName(fault)}",
            account, index == 0 ? probes : [], workerOnly)).ToList();
        List<ManifestMap> documents =
        [
            .. Rbac.ServiceAccount(account, experiment.Name, LitmusFaultKinds.Permissions()),
            .. faults.Select(fault => fault.Kind).Distinct().Order(StringComparer.Ordinal).Select(LitmusFaultKinds.ChaosExperiment),
            .. engines,
        ];
        return new EngineResources(mappings, documents, probes, workerOnly, [.. engines.Select(engine => $"ChaosEngine {engine.Map("metadata")!["name"]}")]);
    }

    private static string FaultName(LitmusFault fault) => fault.Sources.Count == 1
        ? $"{fault.Sources[0].Kind}-{fault.Sources[0].Target}"
        : $"{fault.Sources[0].Kind}-{string.Join("-", fault.Sources.Select(source => source.Target.Replace("-proxy", "", StringComparison.Ordinal)))}";

    private static ManifestMap ChaosEngine(
        ExperimentDefinition experiment, LitmusFault fault, string name, string account, IReadOnlyList<HttpProbe> probes, IReadOnlyList<WorkerOnlyCriterion> workerOnly)
    {
        var annotations = new ManifestMap
        {
            [$"{LabTopology.Prefix}/lab-faults"] = string.Join(", ", fault.Sources.Select(FaultMapping.Name)),
            [$"{LabTopology.Prefix}/probes"] = probes.Count == 0 ? null : string.Join(", ", probes.Select(probe => probe.Criterion.Name)),
            [$"{LabTopology.Prefix}/judged-by-worker-only"] = string.Join(", ", workerOnly.Select(criterion => criterion.Name)),
        };
        return new ManifestMap
        {
            ["apiVersion"] = "litmuschaos.io/v1alpha1",
            ["kind"] = "ChaosEngine",
            ["metadata"] = new ManifestMap
            {
                ["name"] = name,
                ["namespace"] = LabTopology.Namespace,
                ["labels"] = Rbac.Labels(experiment.Name),
                ["annotations"] = annotations,
            },
            ["spec"] = new ManifestMap
            {
                ["engineState"] = "active",
                ["appinfo"] = new ManifestMap
                {
                    ["appns"] = LabTopology.Namespace,
                    ["applabel"] = fault.Workload.Selector,
                    ["appkind"] = fault.Workload.Kind,
                },
                ["chaosServiceAccount"] = account,
                ["jobCleanUpPolicy"] = "delete",
                ["experiments"] = new[]
                {
                    new ManifestMap
                    {
                        ["name"] = fault.Kind,
                        ["spec"] = new ManifestMap
                        {
                            ["components"] = new ManifestMap { ["env"] = LitmusFaultKinds.Env(fault.Env) },
                            ["probe"] = probes.Count == 0 ? null : probes.Select(Probe).ToList(),
                        },
                    },
                },
            },
        };
    }

    private static ManifestMap Probe(HttpProbe probe)
    {
        var continuous = probe.Mode is "Continuous" or "OnChaos";
        return new ManifestMap
        {
            ["name"] = probe.Criterion.Name,
            ["type"] = "httpProbe",
            ["mode"] = probe.Mode,
            ["httpProbe/inputs"] = new ManifestMap
            {
                ["url"] = probe.Url,
                ["insecureSkipVerify"] = false,
                ["method"] = new ManifestMap
                {
                    ["get"] = new ManifestMap
                    {
                        ["criteria"] = probe.Comparison,
                        ["responseCode"] = probe.ResponseCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    },
                },
            },
            ["runProperties"] = new ManifestMap
            {
                ["probeTimeout"] = HttpProbe.ProbeTimeout,
                ["interval"] = HttpProbe.Interval,
                ["attempt"] = 1,
                ["probePollingInterval"] = continuous ? HttpProbe.PollingInterval : null,
                ["stopOnFailure"] = false,
            },
        };
    }
}
