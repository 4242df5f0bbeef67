namespace VokeTag.Experiments.Kubernetes.ChaosMesh;

/// <summary>
/// An experiment file as Chaos Mesh resources: one chaos (PodChaos, NetworkChaos, StressChaos) when it has one fault
/// that starts at once, else a Workflow that runs its faults side by side, each after its own wait (a Suspend) and each
/// template with a deadline. Chaos Mesh has no verdict of its own, so every criterion is judged by the worker only.
/// </summary>
public sealed class ChaosMeshExport : IEngineExport
{
    public const string ApiVersion = "chaos-mesh.org/v1alpha1";

    private const string NoProbes =
        "Chaos Mesh gives no verdict of its own (a StatusCheck takes one status or range, which cannot say 'anything but 500')";

    public ExportEngine Engine => ExportEngine.ChaosMesh;

    public EngineResources Export(ExperimentDefinition experiment)
    {
        var mapped = experiment.Faults.Select(fault => ChaosMeshFaults.Map(fault, experiment.Phases)).ToList();
        var mappings = mapped.Select(pair => pair.Mapping).ToList();
        if (mappings.Any(mapping => !mapping.HasEquivalent))
        {
            return EngineResources.NotExported(mappings);
        }

        var faults = mapped.Select(pair => pair.Fault!).ToList();
        var workerOnly = EngineResources.AllByWorker(experiment, NoProbes);
        var annotations = new ManifestMap
        {
            [$"{LabTopology.Prefix}/lab-faults"] = string.Join(", ", experiment.Faults.Select(FaultMapping.Name)),
            [$"{LabTopology.Prefix}/judged-by-worker-only"] = string.Join(", ", workerOnly.Select(criterion => criterion.Name)),
        };
        var document = faults is [{ Timing.DelaySeconds: 0 } single]
            ? Resource(single.Kind, experiment.Name, annotations, single.Spec)
            : Resource("Workflow", experiment.Name, annotations, Workflow(experiment.Name, faults));
        return new EngineResources(mappings, [document], [], workerOnly, [$"{document["kind"]} {experiment.Name}"]);
    }

    private static ManifestMap Resource(string kind, string name, ManifestMap annotations, ManifestMap spec) => new()
    {
        ["apiVersion"] = ApiVersion,
        ["kind"] = kind,
        ["metadata"] = new ManifestMap
        {
            ["name"] = name,
            ["namespace"] = LabTopology.Namespace,
            ["labels"] = Rbac.Labels(name),
            ["annotations"] = annotations,
        },
        ["spec"] = spec,
    };

    private static ManifestMap Workflow(string name, IReadOnlyList<ChaosMeshFault> faults)
    {
        var names = faults.Select((fault, index) => faults.Count(other => other.Name == fault.Name) > 1 ? $"{fault.Name}-{index + 1}" : fault.Name).ToList();
        var branches = new List<string>();
        var templates = new List<ManifestMap>();
        foreach (var (fault, chaos) in faults.Zip(names))
        {
            var delay = fault.Timing.DelaySeconds;
            var chaosTemplate = new ManifestMap
            {
                ["name"] = chaos,
                ["templateType"] = fault.Kind,
                ["deadline"] = fault.Timing.Length,
                [fault.TemplateField] = fault.Spec,
            };
            if (delay == 0)
            {
                branches.Add(chaos);
                templates.Add(chaosTemplate);
                continue;
            }

            var branch = $"{chaos}-after-{delay}s";
            branches.Add(branch);
            templates.Add(Template(branch, "Serial", delay + fault.Timing.LengthSeconds, [$"wait-{chaos}", chaos]));
            templates.Add(Template($"wait-{chaos}", "Suspend", delay, null));
            templates.Add(chaosTemplate);
        }

        var longest = faults.Max(fault => fault.Timing.DelaySeconds + fault.Timing.LengthSeconds);
        return new ManifestMap
        {
            ["entry"] = name,
            ["templates"] = new List<ManifestMap> { Template(name, "Parallel", longest, branches) }.Concat(templates).ToList(),
        };
    }

    private static ManifestMap Template(string name, string type, int deadlineSeconds, IReadOnlyList<string>? children) => new()
    {
        ["name"] = name,
        ["templateType"] = type,
        ["deadline"] = FaultTiming.Duration(deadlineSeconds),
        ["children"] = children,
    };
}
