using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>PostgreSQL stops. The API must answer 503 (never 500), open its breaker, fail fast, and recover after restart.</summary>
public sealed class DatabaseFailureExperiment : ChaosExperiment
{
    public const string BreakerOpened = "breaker-opened";

    public override string Name => "database-failure";

    public override string Title => "Database failure";

    public override IReadOnlyList<IFault> CreateFaults(LabControlClient lab) => [new StopResourceFault(lab, "db")];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "When PostgreSQL fails, the API answers 503 Service Unavailable fast, never 500, its circuit breaker opens, and it recovers once the database is back.",
        [
            new("status-500", "Returns 503 Service Unavailable, not 500",
                figures => figures.Impact.CountOf(500) + figures.Recovery.CountOf(500), Comparison.AtMost, options.Threshold("status-500", 0), ""),
            new("errors-are-503", "Every failed request is a 503 (no hangs, no other 5xx)",
                figures => figures.Impact.ShareOfErrorsAnswered(503), Comparison.AtLeast, options.Threshold("errors-are-503", 0.95), "%"),
            new(BreakerOpened, "Circuit breaker opens after its threshold",
                figures => figures.Observation(BreakerOpened), Comparison.AtLeast, options.Threshold(BreakerOpened, 1), ""),
            new("fail-fast-p99", "Fails fast: P99 within the API's 0.5 s budget plus 0.5 s margin",
                figures => figures.Impact.P99.TotalSeconds, Comparison.AtMost, options.Threshold("fail-fast-p99", 1.0), "s"),
            new("recovery-time", "Recovers when the database is restored",
                figures => figures.RecoveryTime?.TotalSeconds, Comparison.LessThan, options.Threshold("recovery-time", 30), "s"),
        ]);

    public override IReadOnlyDictionary<string, double> Observe(CircuitObservations impactCircuits) => new Dictionary<string, double>
    {
        [BreakerOpened] = impactCircuits.Saw("postgres", "open") || impactCircuits.Saw("postgres", "half-open") ? 1 : 0,
    };
}
