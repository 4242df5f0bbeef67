using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>The recovery phase so far, for deciding whether it can end: its answered requests, and the baseline's figures.</summary>
public sealed record RecoveryProgress(IReadOnlyCollection<LoadSample> Recovery, PhaseStatistics Baseline)
{
    /// <summary>The recovery so far as phase figures (duration only matters for throughput, which no decision uses).</summary>
    public PhaseStatistics Statistics => PhaseStatistics.From(Recovery, TimeSpan.Zero);
}
