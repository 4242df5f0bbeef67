using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Definitions;

/// <summary>How each metric of the file vocabulary (<see cref="Metrics"/>) is read from a finished run.</summary>
public static class MetricMeasures
{
    private static readonly Dictionary<string, Func<RunFigures, CriterionDefinition, double?>> ByMetric = new()
    {
        ["error-rate"] = InPhase((statistics, _) => statistics.ErrorRate),
        ["success-rate"] = InPhase((statistics, criterion) => KindOf(criterion) is { } kind ? statistics.SuccessRateOf(kind) : statistics.SuccessRate),
        ["fallback-share"] = InPhase((statistics, _) => statistics.FallbackShare),
        [Metrics.AffectedShare] = InPhase((statistics, _) => statistics.AffectedShare),
        ["shed-share"] = InPhase((statistics, criterion) => statistics.ShedShareOf(KindOf(criterion)!.Value)),
        ["p50"] = InPhase((statistics, _) => statistics.P50.TotalSeconds),
        ["p95"] = InPhase((statistics, criterion) => KindOf(criterion) is { } kind
            ? statistics.P95ByKind.GetValueOrDefault(kind).TotalSeconds
            : statistics.P95.TotalSeconds),
        ["p99"] = InPhase((statistics, _) => statistics.P99.TotalSeconds),
        ["errors-answered-with"] = InPhase((statistics, criterion) => statistics.ShareOfErrorsAnswered([.. criterion.Arguments.Statuses!])),
        ["status-count"] = (figures, criterion) =>
            criterion.Phases.Sum(phase => criterion.Arguments.Statuses!.Sum(Statistics(figures, phase).Among(criterion.Arguments.Requests).CountOf)),
        ["throughput-drop"] = (figures, _) => figures.Baseline.ThroughputPerSecond > 0
            ? Math.Max(0, 1 - figures.Impact.ThroughputPerSecond / figures.Baseline.ThroughputPerSecond)
            : null,
        ["latency-increase"] = (figures, _) => figures.LatencyIncrease,
        ["recovery-time"] = (figures, _) => figures.RecoveryTime?.TotalSeconds,
        [Metrics.BreakerOpened] = (figures, criterion) => figures.Observation(ObservationOf(criterion)),
        ["replica-back-by-itself"] = (figures, _) => figures.Observation(KillReplicaFault.BackBySelfSeconds),
        ["replica-restarted-by-itself"] = (figures, _) => figures.Observation(KillReplicaFault.RestartedBySelfSeconds),
        ["api-cpu-peak"] = (figures, _) => figures.Observation(ReplicaObservations.CpuPeak),
        ["api-memory-peak"] = (figures, _) => figures.Observation(ReplicaObservations.MemoryPeak),
        ["cache-cpu-peak"] = (figures, _) => figures.Observation(LabResourceProbe.CpuPeak("cache")),
        ["cache-memory-peak"] = (figures, _) => figures.Observation(LabResourceProbe.MemoryPeak("cache")),
        ["db-cpu-peak"] = (figures, _) => figures.Observation(LabResourceProbe.CpuPeak("db")),
        ["db-memory-peak"] = (figures, _) => figures.Observation(LabResourceProbe.MemoryPeak("db")),
        ["db-pool-peak"] = (figures, _) => figures.Observation(ReplicaObservations.PoolPeak),
        ["db-pool-waiting"] = (figures, _) => figures.Observation(ReplicaObservations.PoolWaitingPeak),
        [Metrics.RedeployedUnhealthy] = (figures, _) => figures.Observation(RedeployFault.UnhealthyCount),
        ["replicas-serving"] = (figures, criterion) =>
            Statistics(figures, criterion.Phases[0]).ReplicasServing(criterion.Arguments.Share!.Value),
        ["replicas-lost"] = (figures, _) => figures.Baseline.Replicas.Keys.Count(replica => !figures.Recovery.Replicas.ContainsKey(replica)),
    };

    /// <summary>Every metric of the vocabulary can be measured: checked by a test, so a new name cannot go unread.</summary>
    public static IReadOnlyCollection<string> Measured => ByMetric.Keys;

    public static double? Measure(RunFigures figures, CriterionDefinition criterion) => ByMetric[criterion.Metric](figures, criterion);

    /// <summary>The run figure a breaker criterion reads: observed during the impact phase, named after the criterion.</summary>
    public static string ObservationOf(CriterionDefinition criterion) => criterion.Name;

    private static RequestKind? KindOf(CriterionDefinition criterion) =>
        criterion.Arguments.Kind is { } kind ? Enum.Parse<RequestKind>(kind, ignoreCase: true) : null;

    private static PhaseStatistics Statistics(RunFigures figures, string phase) => phase switch
    {
        "baseline" => figures.Baseline,
        "impact" => figures.Impact,
        _ => figures.Recovery,
    };

    private static Func<RunFigures, CriterionDefinition, double?> InPhase(Func<PhaseStatistics, CriterionDefinition, double> measure) =>
        (figures, criterion) => measure(Statistics(figures, criterion.Phases[0]).Among(criterion.Arguments.Requests), criterion);
}
