namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// When a fault of an experiment file acts, counted from the moment the engine gets its resources: that moment is the
/// start of the impact phase, the fault comes <c>at</c> into it and lasts <c>for</c> (else the rest of the impact phase).
/// Whole seconds, rounded up, as Litmus takes them.
/// </summary>
public sealed record FaultTiming(int DelaySeconds, int LengthSeconds)
{
    public static FaultTiming Of(FaultDefinition fault, PhaseDefinition phases)
    {
        var impact = phases.Impact ?? Limits.DefaultImpact;
        var at = fault.At ?? TimeSpan.Zero;
        var length = fault.For ?? impact - at;
        return new FaultTiming(Seconds(at), Math.Max(1, Seconds(length)));
    }

    /// <summary>As Chaos Mesh and Litmus probes write durations: <c>20s</c>.</summary>
    public static string Duration(int seconds) => $"{seconds}s";

    public string Length => Duration(LengthSeconds);

    public string Describe() => DelaySeconds == 0 ? $"for {Length}" : $"from {DelaySeconds}s into the impact phase, for {Length}";

    private static int Seconds(TimeSpan span) => (int)Math.Ceiling(span.TotalSeconds - 1e-9);
}
