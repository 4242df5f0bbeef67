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

    public bool IsCrossedBy(PhaseStatistics window) => Measure(window) > Limit;

    public string Describe(PhaseStatistics window) =>
        $"{Name}: {Criterion.Format(Measure(window), Unit)} over the last {GuardrailMonitor.Window.TotalSeconds:0} s, limit {Criterion.Format(Limit, Unit)}";
}

/// <summary>What fired, with the figures of that moment.</summary>
public sealed record GuardrailTrip(string Guardrail, string Reason, DateTimeOffset At);
