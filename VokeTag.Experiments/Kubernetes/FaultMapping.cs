namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// One fault of an experiment file as an engine injects it (<paramref name="Equivalent"/>, described for people), or why
/// the engine has no equivalent (<paramref name="NoEquivalent"/>): then nothing of the file is exported.
/// </summary>
/// <param name="Fault">The fault as the file names it: <c>stop cache</c>.</param>
public sealed record FaultMapping(string Fault, string? Equivalent, string? NoEquivalent = null)
{
    public bool HasEquivalent => Equivalent is not null;

    public static string Name(FaultDefinition fault) => $"{fault.Kind} {fault.Target}";

    public static FaultMapping None(FaultDefinition fault, string why) => new(Name(fault), null, why);

    /// <summary>
    /// The cluster workload a fault acts on, or why no engine can inject it (its kind has no equivalent, or its target
    /// is not one of the lab's workloads): the start of every engine's mapping.
    /// </summary>
    public static (LabWorkload? Workload, FaultMapping? None) Reach(FaultDefinition fault) =>
        NoEngineEquivalent.For(fault.Kind) is { } why
            ? (null, None(fault, why))
            : LabTopology.Workload(fault.Target) is { } workload
                ? (workload, null)
                : (null, None(fault, $"the lab has no workload '{fault.Target}' in the cluster; targets: api, cache, db, cache-proxy, db-proxy"));

    public override string ToString() => HasEquivalent ? $"{Fault} -> {Equivalent}" : $"{Fault}: no equivalent ({NoEquivalent})";
}

/// <summary>Why a fault kind has no equivalent in any engine: what it acts on is not something a chaos engine reaches.</summary>
public static class NoEngineEquivalent
{
    public static string? For(string kind) => kind switch
    {
        "call-error" or "call-latency" =>
            "it acts inside the API, on a share of its calls to the dependency (Polly's chaos strategies behind the lab's chaos hook); an engine reaches pods and packets, not calls",
        "redeploy" => "it restarts replicas with a broken setting: a rollout (kubectl set env), not a fault an engine injects",
        "spike" => "it changes the worker's own load; an engine injects faults, not traffic",
        _ => null,
    };
}
