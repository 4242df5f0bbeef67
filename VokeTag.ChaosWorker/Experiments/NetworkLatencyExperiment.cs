using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// One second of latency (± 100 ms jitter) on the API's paths to Redis and PostgreSQL, beyond both of its timeouts.
/// Nothing may block past the API's budget, failures must be 503/504 (never 500), and it must settle afterwards.
/// </summary>
public sealed class NetworkLatencyExperiment : ChaosExperiment
{
    private static readonly NetworkFaultSpec Latency = new("latency", LatencyMs: 1_000, JitterMs: 100);

    public override string Name => "network-latency";

    public override string Title => "Network latency";

    public override IReadOnlyList<IFault> CreateFaults(LabControlClient lab) =>
        [new NetworkFault(lab, "cache-proxy", Latency), new NetworkFault(lab, "db-proxy", Latency)];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "Under network latency beyond its timeouts the API handles timeouts gracefully: no request blocks past its budget, failures are 503/504 and never 500, and it is stable afterwards.",
        [
            new("fail-fast-p99", "Does not block: P99 within the API's 0.7 s budget (Redis 0.2 s + PostgreSQL 0.5 s) plus margin",
                figures => figures.Impact.P99.TotalSeconds, Comparison.AtMost, options.Threshold("fail-fast-p99", 1.0), "s"),
            new("status-500", "Never answers 500",
                figures => figures.Impact.CountOf(500) + figures.Recovery.CountOf(500), Comparison.AtMost, options.Threshold("status-500", 0), ""),
            new("errors-are-503", "Failures are 503 or 504, not hangs or other errors",
                figures => figures.Impact.ShareOfErrorsAnswered(503, 504), Comparison.AtLeast, options.Threshold("errors-are-503", 0.95), "%"),
            new("recovery-time", "Stable again after the latency is removed",
                figures => figures.RecoveryTime?.TotalSeconds, Comparison.LessThan, options.Threshold("recovery-time", 30), "s"),
        ]);
}
