namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// What a blue team can say about an incident, and how it maps onto the fault kinds of the experiment files: the
/// resources, the kinds of fault in a responder's words, and the mitigations. A diagnosis is right when its kind
/// matches one of the round's faults and its resource is that fault's target or the target's fault proxy.
/// </summary>
public static class DiagnosisVocabulary
{
    public static readonly IReadOnlyList<string> Resources = ["cache", "db", "api", "cache-proxy", "db-proxy"];

    /// <summary>A responder's words for each fault kind of the file format (<see cref="VokeTag.Experiments.FaultKinds"/>).</summary>
    private static readonly IReadOnlyDictionary<string, string> KindOfFault = new Dictionary<string, string>
    {
        ["stop"] = "stopped",
        ["down"] = "stopped",
        ["kill"] = "crashed",
        ["latency"] = "slow-network",
        ["bandwidth"] = "slow-network",
        ["call-latency"] = "slow-network",
        ["blackhole"] = "partition",
        ["reset"] = "partition",
        ["cpu"] = "cpu-pressure",
        ["spike"] = "traffic-spike",
        ["call-error"] = "errors",
        ["redeploy"] = "bad-deploy",
    };

    public static readonly IReadOnlyList<string> Kinds = [.. KindOfFault.Values.Distinct()];

    public const string Restart = "restart";
    public const string Start = "start";
    public const string Wait = "wait";

    public static readonly IReadOnlyList<string> MitigationActions = [Restart, Start, Wait];

    /// <summary>Every mitigation as a prompt offers it: <c>restart cache</c>, …, <c>wait</c>.</summary>
    public static IReadOnlyList<string> Mitigations =>
        [.. new[] { Restart, Start }.SelectMany(action => Resources.Select(resource => $"{action} {resource}")), Wait];

    /// <summary>The kind a team would name for a fault kind of the file format; the kind itself when it has no word.</summary>
    public static string KindOf(string faultKind) => KindOfFault.GetValueOrDefault(faultKind, faultKind);

    /// <summary>A resource and the fault proxy in front of it count as one for a diagnosis and a mitigation.</summary>
    public static string? PairOf(string resource) => resource switch
    {
        "cache" => "cache-proxy",
        "cache-proxy" => "cache",
        "db" => "db-proxy",
        "db-proxy" => "db",
        _ => null,
    };

    public static bool Concerns(string resource, string target) => resource == target || PairOf(resource) == target;

    public static bool IsCorrectDiagnosis(IEnumerable<RoundFault> faults, string resource, string kind) =>
        faults.Any(fault => KindOf(fault.Kind) == kind && Concerns(resource, fault.Target));

    /// <summary>Restarting or starting a faulted target (or its pair) ends the fault; waiting is right when every fault ends by itself.</summary>
    public static bool IsCorrectMitigation(IReadOnlyCollection<RoundFault> faults, string action, string? resource) => action switch
    {
        Wait => faults.Count > 0 && faults.All(fault => fault.HealsByItself),
        Restart or Start => resource is not null && faults.Any(fault => Concerns(resource, fault.Target)),
        _ => false,
    };
}

/// <summary>One fault of a round's scenario, as the checks need it: its kind, its target and whether it ends by itself.</summary>
public sealed record RoundFault(string Kind, string Target, bool HealsByItself)
{
    public static IReadOnlyList<RoundFault> Of(VokeTag.Experiments.ExperimentDefinition definition) =>
        [.. definition.Faults.Select(fault => new RoundFault(fault.Kind, fault.Target, fault.For is not null))];

    public override string ToString() => $"{Kind} {Target}" + (HealsByItself ? " (heals by itself)" : "");
}
