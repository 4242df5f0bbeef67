using System.Globalization;

namespace VokeTag.Experiments.Kubernetes.ChaosMesh;

/// <summary>
/// The experiment file's fault kinds as Chaos Mesh chaos. A fault proxy's fault becomes a NetworkChaos between the API's
/// pods and the server behind the proxy; the file's direction is Chaos Mesh's (upstream: to, downstream: from, both).
/// </summary>
public static class ChaosMeshFaults
{

    /// <summary>How many bytes may queue and burst, as Chaos Mesh's bandwidth examples set them.</summary>
    private const int BandwidthLimit = 20_971_520;
    private const int BandwidthBuffer = 10_000;

    public static (ChaosMeshFault? Fault, FaultMapping Mapping) Map(FaultDefinition fault, PhaseDefinition phases)
    {
        var timing = FaultTiming.Of(fault, phases);
        var (workload, none) = FaultMapping.Reach(fault);
        if (workload is null)
        {
            return (null, none!);
        }

        (string Kind, ManifestMap Spec, string Description)? mapped = fault.Kind switch
        {
            "stop" => ("PodChaos", Pod("pod-failure", "all", null, workload, timing),
                $"PodChaos pod-failure of every {workload.Name} pod, {timing.Describe()}"),
            "kill" => ("PodChaos", Pod("pod-kill", Mode(fault.Replicas ?? 1, workload), Value(fault.Replicas ?? 1, workload), workload, timing),
                $"PodChaos pod-kill (once, grace period 0) of {Replicas(fault.Replicas ?? 1, workload)}, {timing.Describe()}"),
            "cpu" => ("StressChaos", Stress(fault, timing),
                $"StressChaos of {Replicas(fault.Replicas ?? FaultDefinition.AllReplicas, LabTopology.Api)}: {LabTopology.ApiCores} worker at {Load(fault)}% (its CPU limit), {timing.Describe()}"),
            "latency" => ("NetworkChaos", Network(fault, "delay", new ManifestMap { ["latency"] = Milliseconds(fault.Latency), ["jitter"] = fault.Jitter is null ? null : Milliseconds(fault.Jitter) }, workload, timing),
                $"NetworkChaos delay of {Milliseconds(fault.Latency)}{(fault.Jitter is null ? "" : $" ± {Milliseconds(fault.Jitter)}")} between the api pods and {workload.Name}, direction {Direction(fault)}, {timing.Describe()}"),
            "blackhole" => ("NetworkChaos", Network(fault, "partition", null, workload, timing),
                $"NetworkChaos partition between the api pods and {workload.Name}, direction {Direction(fault)}, {timing.Describe()}"),
            "bandwidth" => ("NetworkChaos", Network(fault, "bandwidth", new ManifestMap { ["rate"] = $"{fault.BytesPerSecond!.Value.ToString(CultureInfo.InvariantCulture)}bps", ["limit"] = BandwidthLimit, ["buffer"] = BandwidthBuffer }, workload, timing),
                $"NetworkChaos bandwidth of {fault.BytesPerSecond} bytes/s between the api pods and {workload.Name}, direction {Direction(fault)}, {timing.Describe()}"),
            _ => null,
        };

        return mapped is { } found
            ? (new ChaosMeshFault(fault, found.Kind, found.Spec, timing), new FaultMapping(FaultMapping.Name(fault), found.Description))
            : (null, FaultMapping.None(fault, fault.Kind switch
            {
                "reset" => "Chaos Mesh's NetworkChaos delays, drops, limits or corrupts packets; none answers connections with TCP resets",
                "down" => "Chaos Mesh's NetworkChaos delays, drops, limits or corrupts packets; none refuses connections to a server that is running",
                _ => $"Chaos Mesh has no chaos for '{fault.Kind}'",
            }));
    }

    /// <summary>Pods of one workload in the lab's namespace, as a chaos selects them.</summary>
    public static ManifestMap Selector(LabWorkload workload) => new()
    {
        ["namespaces"] = new[] { LabTopology.Namespace },
        ["labelSelectors"] = new ManifestMap { [LabWorkload.NameLabel] = workload.Name },
    };

    private static ManifestMap Pod(string action, string mode, string? value, LabWorkload workload, FaultTiming timing) => new()
    {
        ["action"] = action,
        ["mode"] = mode,
        ["value"] = value,
        ["selector"] = Selector(workload),
        ["gracePeriod"] = action == "pod-kill" ? 0 : null,
        ["duration"] = timing.Length,
    };

    private static ManifestMap Stress(FaultDefinition fault, FaultTiming timing) => new()
    {
        ["mode"] = Mode(fault.Replicas ?? FaultDefinition.AllReplicas, LabTopology.Api),
        ["value"] = Value(fault.Replicas ?? FaultDefinition.AllReplicas, LabTopology.Api),
        ["selector"] = Selector(LabTopology.Api),
        ["stressors"] = new ManifestMap { ["cpu"] = new ManifestMap { ["workers"] = LabTopology.ApiCores, ["load"] = Load(fault) } },
        ["duration"] = timing.Length,
    };

    private static ManifestMap Network(FaultDefinition fault, string action, ManifestMap? settings, LabWorkload server, FaultTiming timing) => new()
    {
        ["action"] = action,
        ["mode"] = "all",
        ["selector"] = Selector(LabTopology.Api),
        [action] = settings,
        ["direction"] = Direction(fault),
        ["target"] = new ManifestMap { ["mode"] = "all", ["selector"] = Selector(server) },
        ["duration"] = timing.Length,
    };

    private static string Direction(FaultDefinition fault) => fault.Direction switch
    {
        "upstream" => "to",
        "downstream" => "from",
        _ => "both",
    };

    private static int Load(FaultDefinition fault) => (int)Math.Round(fault.Share!.Value * 100);

    private static string Mode(int replicas, LabWorkload workload) => replicas >= workload.Replicas ? "all" : replicas == 1 ? "one" : "fixed";

    private static string? Value(int replicas, LabWorkload workload) =>
        Mode(replicas, workload) == "fixed" ? replicas.ToString(CultureInfo.InvariantCulture) : null;

    private static string Replicas(int replicas, LabWorkload workload) =>
        replicas >= workload.Replicas ? $"every {workload.Name} pod ({workload.Replicas})" : $"{replicas} of {workload.Replicas} {workload.Name} pods";

    private static string Milliseconds(TimeSpan? span) => $"{(int)Math.Round((span ?? TimeSpan.Zero).TotalMilliseconds)}ms";
}
