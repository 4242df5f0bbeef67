using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// A cascading failure: a network partition (blackhole) between the API and Redis, then Redis and PostgreSQL both
/// stopped. The API must stay responsive with correct codes and recover once everything is back.
/// </summary>
public sealed class MultiFailureExperiment : ChaosExperiment
{
    public override string Name => "multi-failure";

    public override string Title => "Multi-failure";

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) =>
    [
        new NetworkFault(context.Lab, "cache-proxy", new NetworkFaultSpec("blackhole")),
        new StopResourceFault(context.Lab, "cache"),
        new StopResourceFault(context.Lab, "db"),
    ];

    /// <summary>Errors are expected with both stores down: only requests that hang (5 s) stop it.</summary>
    public override IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
        [Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(5))];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "With Redis partitioned away and both Redis and PostgreSQL down, the API stays responsive with correct codes (503, never 500) and recovers when they return.",
        [
            CommonCriteria.FailsFast(options.Threshold, "Stays responsive: P99 within the API's budget plus margin"),
            CommonCriteria.NoStatus500(options.Threshold),
            CommonCriteria.ErrorsAnsweredWith(options.Threshold, "Failures are 503, not hangs or other errors", 503),
            CommonCriteria.RecoversWithin(options.Threshold, "Recovers when Redis, PostgreSQL and the network are back"),
        ]);
}
