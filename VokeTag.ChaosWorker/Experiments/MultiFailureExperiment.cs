using VokeTag.ChaosWorker.Faults;
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

    public override IReadOnlyList<IFault> CreateFaults(LabControlClient lab) =>
    [
        new NetworkFault(lab, "cache-proxy", new NetworkFaultSpec("blackhole")),
        new StopResourceFault(lab, "cache"),
        new StopResourceFault(lab, "db"),
    ];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "With Redis partitioned away and both Redis and PostgreSQL down, the API stays responsive with correct codes (503, never 500) and recovers when they return.",
        [
            new("fail-fast-p99", "Stays responsive: P99 within the API's budget plus margin",
                figures => figures.Impact.P99.TotalSeconds, Comparison.AtMost, options.Threshold("fail-fast-p99", 1.0), "s"),
            new("status-500", "Never answers 500",
                figures => figures.Impact.CountOf(500) + figures.Recovery.CountOf(500), Comparison.AtMost, options.Threshold("status-500", 0), ""),
            new("errors-are-503", "Failures are 503, not hangs or other errors",
                figures => figures.Impact.ShareOfErrorsAnswered(503), Comparison.AtLeast, options.Threshold("errors-are-503", 0.95), "%"),
            new("recovery-time", "Recovers when Redis, PostgreSQL and the network are back",
                figures => figures.RecoveryTime?.TotalSeconds, Comparison.LessThan, options.Threshold("recovery-time", 30), "s"),
        ]);
}
