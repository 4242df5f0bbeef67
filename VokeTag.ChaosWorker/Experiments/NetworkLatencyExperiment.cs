using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
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

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) =>
        [new NetworkFault(context.Lab, "cache-proxy", Latency), new NetworkFault(context.Lab, "db-proxy", Latency)];

    /// <summary>The fault adds 1 s per round trip and errors are expected: only requests that hang (5 s) stop it.</summary>
    public override IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
        [Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(5))];

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "Under network latency beyond its timeouts the API handles timeouts gracefully: no request blocks past its budget, failures are 503/504 and never 500, and it is stable afterwards.",
        [
            CommonCriteria.FailsFast(options.Threshold, "Does not block: P99 within the API's 0.7 s budget (Redis 0.2 s + PostgreSQL 0.5 s) plus margin"),
            CommonCriteria.NoStatus500(options.Threshold),
            CommonCriteria.ErrorsAnsweredWith(options.Threshold, "Failures are 503 or 504, not hangs or other errors", 503, 504),
            CommonCriteria.RecoversWithin(options.Threshold, "Stable again after the latency is removed"),
        ]);
}
