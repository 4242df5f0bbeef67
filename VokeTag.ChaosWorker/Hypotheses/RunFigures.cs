using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Hypotheses;

/// <summary>Everything a run measured, for criteria to read: per-phase statistics, recovery time and named extras.</summary>
/// <param name="RecoveryTime">From rollback until the steady state held for the sustained window; null if it never did.</param>
/// <param name="Observations">Other measured facts, e.g. <c>breaker-opened</c> = 1 read from the API's diagnostics.</param>
public sealed record RunFigures(
    PhaseStatistics Baseline,
    PhaseStatistics Impact,
    PhaseStatistics Recovery,
    TimeSpan? RecoveryTime,
    IReadOnlyDictionary<string, double> Observations)
{
    /// <summary>
    /// Baselines under this count as this much: on loopback a 2 ms → 11 ms change is noise, not a 5x degradation.
    /// </summary>
    public static readonly TimeSpan LatencyFloor = TimeSpan.FromMilliseconds(10);

    /// <summary>Impact P95 over baseline P95 (floored at <see cref="LatencyFloor"/>); null without a baseline.</summary>
    public double? LatencyIncrease => Baseline.Requests > 0
        ? Impact.P95 / (Baseline.P95 > LatencyFloor ? Baseline.P95 : LatencyFloor)
        : null;

    public double? Observation(string name) => Observations.TryGetValue(name, out var value) ? value : null;
}
