using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>PostgreSQL stops. The API must answer 503 (never 500), open its breaker, fail fast, and recover after restart.</summary>
public sealed class DatabaseFailureExperiment : ChaosExperiment
{
    public const string BreakerOpened = "breaker-opened";

    public override string Name => "database-failure";

    public override string Title => "Database failure";

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) => [new StopResourceFault(context.Lab, "db")];

    /// <summary>Errors are the point here (503s); only slowness stops the run.</summary>
    public override IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
        [Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(1))];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "When PostgreSQL fails, the API answers 503 Service Unavailable fast, never 500, its circuit breaker opens, and it recovers once the database is back.",
        [
            CommonCriteria.NoStatus500(options.Threshold, "Returns 503 Service Unavailable, not 500"),
            CommonCriteria.ErrorsAnsweredWith(options.Threshold, "Every failed request is a 503 (no hangs, no other 5xx)", 503),
            new(BreakerOpened, "Circuit breaker opens after its threshold",
                figures => figures.Observation(BreakerOpened), Comparison.AtLeast, options.Threshold(BreakerOpened, 1), ""),
            CommonCriteria.FailsFast(options.Threshold, "Fails fast: P99 within the API's 0.5 s budget plus 0.5 s margin"),
            CommonCriteria.RecoversWithin(options.Threshold, "Recovers when the database is restored"),
        ]);

    public override IReadOnlyDictionary<string, double> Observe(CircuitObservations impactCircuits) => new Dictionary<string, double>
    {
        [BreakerOpened] = impactCircuits.Saw("postgres", "open") || impactCircuits.Saw("postgres", "half-open") ? 1 : 0,
    };
}
