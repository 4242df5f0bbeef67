using System.Globalization;

namespace VokeTag.Experiments.Kubernetes.Litmus;

/// <summary>
/// The experiment file's fault kinds as Litmus faults. A fault proxy's fault becomes a network fault on the API's pods
/// towards the server behind the proxy (DESTINATION_HOSTS), which is where the lab's proxies sit.
/// </summary>
public static class LitmusFaults
{
    /// <summary>How often a stopped resource's pod is deleted again: Litmus has no fault that keeps a pod down.</summary>
    public const int StopInterval = 5;


    /// <summary>The fault as Litmus injects it, or a mapping that says why Litmus has no equivalent.</summary>
    public static (LitmusFault? Fault, FaultMapping Mapping) Map(FaultDefinition fault, PhaseDefinition phases)
    {
        var timing = FaultTiming.Of(fault, phases);
        var (workload, none) = FaultMapping.Reach(fault);
        if (workload is null)
        {
            return (null, none!);
        }

        var common = Timing(timing);
        LitmusFault? mapped = fault.Kind switch
        {
            "stop" => new([fault], LitmusFaultKinds.PodDelete, workload,
                [.. common, ("CHAOS_INTERVAL", Text(Math.Min(StopInterval, timing.LengthSeconds))), ("FORCE", "true"), ("PODS_AFFECTED_PERC", "100")],
                $"pod-delete of {workload.Kind} {workload.Name} every {Math.Min(StopInterval, timing.LengthSeconds)}s, {timing.Describe()} (Litmus has no fault that keeps a pod down: it comes back between deletions)"),
            "kill" => new([fault], LitmusFaultKinds.PodDelete, workload,
                [.. common, ("CHAOS_INTERVAL", Text(timing.LengthSeconds)), ("FORCE", "true"), ("PODS_AFFECTED_PERC", Text(Percent(fault.Replicas ?? 1, workload)))],
                $"pod-delete (force, once) of {Replicas(fault.Replicas ?? 1, workload)}, {timing.Describe()}"),
            "cpu" => new([fault], LitmusFaultKinds.CpuHog, workload,
                [.. common, ("CPU_CORES", Text(LabTopology.ApiCores)), ("CPU_LOAD", Text((int)Math.Round(fault.Share!.Value * 100))),
                 ("PODS_AFFECTED_PERC", Text(Percent(fault.Replicas ?? FaultDefinition.AllReplicas, workload))), .. LitmusFaultKinds.RuntimeSocket],
                $"pod-cpu-hog of {Replicas(fault.Replicas ?? FaultDefinition.AllReplicas, workload)}: {(int)Math.Round(fault.Share!.Value * 100)}% of its {LabTopology.ApiCores} core (its CPU limit), {timing.Describe()}"),
            "latency" or "blackhole" when fault.Direction == "downstream" => null,
            "latency" => Network(fault, LitmusFaultKinds.NetworkLatency, common, workload, timing),
            "blackhole" => Network(fault, LitmusFaultKinds.NetworkLoss, common, workload, timing),
            _ => null,
        };

        return mapped is null
            ? (null, FaultMapping.None(fault, NoEquivalent(fault)))
            : (mapped, new FaultMapping(FaultMapping.Name(fault), mapped.Description));
    }

    /// <summary>
    /// Network faults on the API's pods at the same moments with the same settings, as one fault towards every server
    /// they name; null when they differ (Litmus runs one network fault on a pod at a time).
    /// </summary>
    public static LitmusFault? Merge(IReadOnlyList<LitmusFault> network)
    {
        var first = network[0];
        var settings = first.Env.Where(variable => variable.Name != "DESTINATION_HOSTS").ToList();
        if (network.Any(fault => fault.Kind != first.Kind || !fault.Env.Where(variable => variable.Name != "DESTINATION_HOSTS").SequenceEqual(settings)))
        {
            return null;
        }

        var hosts = string.Join(",", network.Select(fault => fault.Value("DESTINATION_HOSTS")).Distinct());
        var env = first.Env.Select(variable => variable.Name == "DESTINATION_HOSTS" ? (variable.Name, hosts) : variable).ToList();
        return first with
        {
            Sources = [.. network.SelectMany(fault => fault.Sources)],
            Env = env,
            Description = first.Description.Replace($"to {first.Value("DESTINATION_HOSTS")}", $"to {hosts.Replace(",", " and ", StringComparison.Ordinal)}", StringComparison.Ordinal),
        };
    }

    private static LitmusFault Network(FaultDefinition fault, string kind, IReadOnlyList<(string, string)> common, LabWorkload server, FaultTiming timing)
    {
        // The lab delays both directions of a proxy by latency each (twice per round trip); Litmus delays the API's
        // packets towards the server only, so "both" gets the round trip's whole delay on that one direction.
        var times = fault.Direction == "both" ? 2 : 1;
        var settings = kind == LitmusFaultKinds.NetworkLatency
            ? new (string, string)[] { ("NETWORK_LATENCY", Text(Milliseconds(fault.Latency) * times)), ("JITTER", Text(Milliseconds(fault.Jitter) * times)) }
            : [("NETWORK_PACKET_LOSS_PERCENTAGE", "100")];
        var what = kind == LitmusFaultKinds.NetworkLatency
            ? $"pod-network-latency of {Milliseconds(fault.Latency) * times}ms ± {Milliseconds(fault.Jitter) * times}ms{(times == 2 ? " (the lab's both directions as one round trip)" : "")}"
            : "pod-network-loss of 100% (a blackhole)";
        return new LitmusFault([fault], kind, LabTopology.Api,
            [.. common, .. settings, ("DESTINATION_HOSTS", server.Name), ("PODS_AFFECTED_PERC", "100"), .. LitmusFaultKinds.RuntimeSocket],
            $"{what} on every api pod's packets to {server.Name}, {timing.Describe()}");
    }

    private static string NoEquivalent(FaultDefinition fault) => fault.Kind switch
    {
        "latency" or "blackhole" =>
            "Litmus's network faults act on the packets a pod sends, towards named hosts; the server's answers to the API (downstream) cannot be singled out",
        "bandwidth" => "none of Litmus's pod faults this export writes (pod-delete, pod-network-latency, pod-network-loss, pod-cpu-hog) limits bandwidth",
        "reset" => "no Litmus fault answers a pod's connections with TCP resets",
        "down" => "no Litmus fault refuses connections to a server that is running",
        _ => $"Litmus has no fault for '{fault.Kind}'",
    };

    private static IReadOnlyList<(string, string)> Timing(FaultTiming timing) =>
        timing.DelaySeconds > 0
            ? [("TOTAL_CHAOS_DURATION", Text(timing.LengthSeconds)), ("RAMP_TIME", Text(timing.DelaySeconds))]
            : [("TOTAL_CHAOS_DURATION", Text(timing.LengthSeconds))];

    /// <summary>Litmus picks pods by a percentage of the workload's: N replicas of its count, rounded up.</summary>
    private static int Percent(int replicas, LabWorkload workload) =>
        replicas >= workload.Replicas ? 100 : (int)Math.Ceiling(replicas * 100.0 / workload.Replicas);

    private static string Replicas(int replicas, LabWorkload workload) =>
        replicas >= workload.Replicas ? $"every {workload.Name} pod ({workload.Replicas})" : $"{replicas} of {workload.Replicas} {workload.Name} pods";

    private static int Milliseconds(TimeSpan? span) => (int)Math.Round((span ?? TimeSpan.Zero).TotalMilliseconds);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
