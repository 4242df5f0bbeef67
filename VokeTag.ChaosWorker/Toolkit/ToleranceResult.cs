namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// The verdict of one hypothesis tolerance. <paramref name="Problem"/> is set only where chaoslib itself would crash
/// (an uncaught Python exception, so no journal); <paramref name="Met"/> is then false.
/// </summary>
public sealed record ToleranceResult(bool Met, string? Problem);
