using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Guardrails;

/// <summary>
/// A stop condition, checked while faults are live (like AWS FIS stop conditions): when the figure over the last
/// <see cref="GuardrailMonitor.Window"/> exceeds its limit, the run is aborted at once and rolled back. Defaults are
/// the design document's alert levels (error rate above 5 %, P95 above 1 s); an experiment that expects errors or
/// latency raises or drops them.
/// </summary>
/// <param name="Measure">Reads the figure from the samples completed in the window.</param>
public sealed record Guardrail(string Name, string Statement, Func<PhaseStatistics, double> Measure, double Limit, string Unit)
{
    public const string ErrorRateName = "guard-error-rate";
    public const string P95Name = "guard-p95";
    public const string P99Name = "guard-p99";
    public const string ApiCpuName = "guard-api-cpu";
    public const string ApiMemoryName = "guard-api-memory";
    public const string PoolWaitingName = "guard-db-pool-waiting";

    /// <summary>
    /// For a guardrail on the API replicas' own readings (<c>/diagnostics</c>): the highest reading in the window, or
    /// null with none. Null for a guardrail on the traffic.
    /// </summary>
    public Func<ReplicaObservations, double?>? MeasureReplicas { get; init; }

    /// <summary>Aborts when more of the requests in the window fail (5xx or no answer) than the limit allows.</summary>
    /// <param name="threshold">Applies a run's override by name, as for criteria (<c>RunOptions.Threshold</c>).</param>
    public static Guardrail ErrorRate(Func<string, double, double> threshold, double defaultLimit) =>
        new(ErrorRateName, "error rate stays at or under its alert level", window => window.ErrorRate, threshold(ErrorRateName, defaultLimit), "%");

    /// <summary>Aborts when the window's P95 latency exceeds the limit.</summary>
    /// <param name="threshold">Applies a run's override by name, in seconds.</param>
    public static Guardrail P95(Func<string, double, double> threshold, TimeSpan defaultLimit) =>
        new(P95Name, "P95 latency stays at or under its alert level", window => window.P95.TotalSeconds, threshold(P95Name, defaultLimit.TotalSeconds), "s");

    /// <summary>Aborts when the window's P99 latency exceeds the limit.</summary>
    /// <param name="threshold">Applies a run's override by name, in seconds.</param>
    public static Guardrail P99(Func<string, double, double> threshold, TimeSpan defaultLimit) =>
        new(P99Name, "P99 latency stays at or under its alert level", window => window.P99.TotalSeconds, threshold(P99Name, defaultLimit.TotalSeconds), "s");

    /// <summary>Aborts when an API replica's process uses more than the limit of all cores (its reading over a second).</summary>
    public static Guardrail ApiCpu(Func<string, double, double> threshold, double defaultLimit) =>
        OnReplicas(ApiCpuName, "no API replica uses more CPU than its alert level", ReplicaObservations.CpuPeak, threshold(ApiCpuName, defaultLimit), "%");

    /// <summary>Aborts when an API replica holds more than the limit of the memory it may use.</summary>
    public static Guardrail ApiMemory(Func<string, double, double> threshold, double defaultLimit) =>
        OnReplicas(ApiMemoryName, "no API replica holds more memory than its alert level", ReplicaObservations.MemoryPeak, threshold(ApiMemoryName, defaultLimit), "%");

    /// <summary>Aborts when more requests wait for a PostgreSQL connection on an API replica than the limit: the pool ran out.</summary>
    public static Guardrail PoolWaiting(Func<string, double, double> threshold, double defaultLimit) =>
        OnReplicas(PoolWaitingName, "no more requests wait for a PostgreSQL connection than the alert level", ReplicaObservations.PoolWaitingPeak, threshold(PoolWaitingName, defaultLimit), "");

    public bool IsCrossedBy(PhaseStatistics window) => MeasureReplicas is null && Measure(window) > Limit;

    public bool IsCrossedBy(ReplicaObservations window) => MeasureReplicas?.Invoke(window) > Limit;

    public string Describe(ReplicaObservations window) =>
        $"{Name}: {Criterion.Format(MeasureReplicas?.Invoke(window) ?? 0, Unit)} on an API replica in the last {GuardrailMonitor.Window.TotalSeconds:0} s, limit {Criterion.Format(Limit, Unit)}";

    private static Guardrail OnReplicas(string name, string statement, string peak, double limit, string unit) =>
        new(name, statement, _ => 0, limit, unit) { MeasureReplicas = replicas => replicas.Peaks.TryGetValue(peak, out var value) ? value : null };

    public string Describe(PhaseStatistics window) =>
        $"{Name}: {Criterion.Format(Measure(window), Unit)} over the last {GuardrailMonitor.Window.TotalSeconds:0} s, limit {Criterion.Format(Limit, Unit)}";
}

/// <summary>What fired, with the figures of that moment.</summary>
public sealed record GuardrailTrip(string Guardrail, string Reason, DateTimeOffset At);
