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
    /// <summary>Impact P95 over baseline P95; null without a baseline to compare with.</summary>
    public double? LatencyIncrease => Baseline.P95 > TimeSpan.Zero ? Impact.P95 / Baseline.P95 : null;

    public double? Observation(string name) => Observations.TryGetValue(name, out var value) ? value : null;
}
