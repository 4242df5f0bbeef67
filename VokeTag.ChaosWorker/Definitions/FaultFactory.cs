using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Definitions;

/// <summary>Turns the faults of an experiment file (<see cref="FaultKinds"/>) into the faults the runner injects and rolls back.</summary>
public static class FaultFactory
{
    /// <summary>How much longer than the impact phase a fault the API applies to itself lasts if nobody lifts it.</summary>
    public static readonly TimeSpan PressureMargin = TimeSpan.FromSeconds(15);

    /// <summary>
    /// The faults to inject, in the file's order, with their moments. Proxy faults on one proxy become one fault at the
    /// first one's place, since a proxy holds one set of faults at a time (the file gives them the same moments).
    /// </summary>
    public static IReadOnlyList<ScheduledFault> Create(IReadOnlyList<FaultDefinition> faults, FaultContext context)
    {
        var created = new List<ScheduledFault>();
        foreach (var fault in faults)
        {
            if (FaultKinds.Find(fault.Kind) is { IsNetwork: true })
            {
                if (created.Select(scheduled => scheduled.Fault).OfType<NetworkFault>().All(existing => existing.Target != fault.Target))
                {
                    created.Add(new ScheduledFault(new NetworkFault(context.Lab, fault.Target,
                        [.. faults.Where(other => other.Target == fault.Target && FaultKinds.Find(other.Kind) is { IsNetwork: true }).Select(SpecOf)]),
                        fault.At, fault.For));
                }

                continue;
            }

            created.Add(new ScheduledFault(fault.Kind switch
            {
                "stop" => new StopResourceFault(context.Lab, fault.Target),
                "kill" => new KillReplicaFault(context.Lab, fault.Target, context.Time, fault.Replicas ?? 1),
                "cpu" => new CpuPressureFault(context.Hooks, context.Lab, fault.Share!.Value, Lasts(context), fault.Replicas ?? FaultDefinition.AllReplicas),
                "call-error" or "call-latency" => new CallFault(
                    context.Hooks, context.Lab, fault.Target, fault.Share!.Value, fault.Latency, Lasts(context), fault.Replicas ?? FaultDefinition.AllReplicas),
                "redeploy" => new RedeployFault(context.Lab, context.Hooks, fault.Setting!, context.Time, fault.Replicas ?? 1),
                "spike" => new LoadSpikeFault(fault.Target, fault.Factor!.Value, fault.Load),
                _ => throw new ArgumentException($"fault kind '{fault.Kind}' is unknown; known: {FaultKinds.Names}.", nameof(faults)),
            }, fault.At, fault.For));
        }

        return created;
    }

    private static TimeSpan Lasts(FaultContext context) => context.Options.Impact + PressureMargin;

    private static NetworkFaultSpec SpecOf(FaultDefinition fault) => new(
        fault.Kind,
        fault.Direction,
        LatencyMs: (int)(fault.Latency?.TotalMilliseconds ?? 0),
        JitterMs: (int)(fault.Jitter?.TotalMilliseconds ?? 0),
        BytesPerSecond: fault.BytesPerSecond ?? 0);
}
