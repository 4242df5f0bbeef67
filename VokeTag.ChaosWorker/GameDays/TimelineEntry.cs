namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// One moment of a game day: what happened (<see cref="TimelineKinds"/>), when (UTC, and seconds since the game day
/// started), in which round, who did it, what they said and how the worker judged it. <see cref="Secret"/> is what
/// the facilitator sees only after the reveal (the fault itself); <see cref="Text"/> is safe to show during the round.
/// </summary>
public sealed record TimelineEntry(
    DateTimeOffset At,
    double Seconds,
    string? RoundId,
    string Kind,
    string? By,
    string Text,
    bool? Correct = null,
    string? Check = null,
    string? Secret = null)
{
    /// <summary>Diagnose: the resource and kind named; mitigate: the action and resource.</summary>
    public string? Resource { get; init; }

    public string? Said { get; init; }

    /// <summary>The entry as shown before the reveal: without its secret.</summary>
    public TimelineEntry Masked() => this with { Secret = null };
}

/// <summary>The kinds of timeline entries.</summary>
public static class TimelineKinds
{
    public const string GameDayStarted = "gameday-started";
    public const string RoundStarted = "round-started";
    public const string FaultInjected = "fault-injected";
    public const string FaultRolledBack = "fault-rolled-back";
    public const string Declare = "declare";
    public const string Diagnose = "diagnose";
    public const string Mitigate = "mitigate";
    public const string Note = "note";
    public const string RoundEnded = "round-ended";
    public const string Reveal = "reveal";
    public const string GameDayEnded = "gameday-ended";
}
