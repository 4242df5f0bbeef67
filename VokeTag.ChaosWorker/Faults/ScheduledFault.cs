namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// A fault and its moments: injected between baseline and impact (<paramref name="At"/> null) or that long into the
/// impact phase, and rolled back <paramref name="For"/> after it was due, or with the others once the impact phase ends.
/// </summary>
public sealed record ScheduledFault(IFault Fault, TimeSpan? At = null, TimeSpan? For = null)
{
    /// <summary>When, from the start of the impact phase, it is rolled back early; null: with the others, after the impact phase.</summary>
    public TimeSpan? RollbackAt => For is { } lasting ? (At ?? TimeSpan.Zero) + lasting : null;

    /// <summary>Its moments in words, for plans and reports.</summary>
    public string When => (At is { } at ? $"{at.TotalSeconds:0.###} s into the impact phase, under load" : "between baseline and impact")
        + (For is { } span ? $", for {span.TotalSeconds:0.###} s" : "");
}
