using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>Redis stops. Reads must fall back to PostgreSQL, still answer 200, and return to the cache after Redis does.</summary>
public sealed class RedisFailureExperiment : ChaosExperiment
{
    public override string Name => "redis-failure";

    public override string Title => "Redis failure";

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) => [new StopResourceFault(context.Lab, "cache")];

    /// <summary>The hypothesis allows 10 % errors: the stop condition sits at twice that.</summary>
    public override IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
    [
        Guardrail.ErrorRate(options.Threshold, 0.20),
        Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(1)),
    ];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "When Redis fails, reads fall back to PostgreSQL and still answer 200, and come from the cache again once Redis is back.",
        [
            new("fallback-share", "System successfully falls back to database",
                figures => figures.Impact.FallbackShare, Comparison.GreaterThan, options.Threshold("fallback-share", 0.80), "%"),
            new("error-rate", "Error rate stays low while Redis is down",
                figures => figures.Impact.ErrorRate, Comparison.LessThan, options.Threshold("error-rate", 0.10), "%"),
            new("latency-increase", "Latency degradation is acceptable",
                figures => figures.LatencyIncrease, Comparison.LessThan, options.Threshold("latency-increase", 5), "x"),
            CommonCriteria.RecoversWithin(options.Threshold, "System recovered after Redis restoration"),
            CommonCriteria.NoStatus500(options.Threshold, "No request is answered with 500"),
        ]);

    /// <summary>Recovered means verifications come from the cache (or fill it) again, not from the fallback.</summary>
    public override Func<LoadSample, bool> SteadyState(RunOptions options)
    {
        var answered = base.SteadyState(options);
        return sample => answered(sample) && !(sample.Kind == RequestKind.Verify && sample.ServedFrom == "fallback");
    }
}
