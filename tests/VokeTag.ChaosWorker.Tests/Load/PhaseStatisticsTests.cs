using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

public class PhaseStatisticsTests
{
    [Fact]
    public void Percentiles_are_nearest_rank_over_all_samples()
    {
        // Latencies 1..100 ms: P50 = 50, P95 = 95, P99 = 99, max = 100.
        var samples = Enumerable.Range(1, 100).Select(ms => Sample(RequestKind.Verify, ms, 200)).ToList();

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(10));

        Assert.Equal(TimeSpan.FromMilliseconds(50), statistics.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(95), statistics.P95);
        Assert.Equal(TimeSpan.FromMilliseconds(99), statistics.P99);
        Assert.Equal(TimeSpan.FromMilliseconds(100), statistics.Max);
        Assert.Equal(10, statistics.ThroughputPerSecond, precision: 6);
    }

    [Fact]
    public void Errors_are_5xx_and_no_answer_but_not_4xx()
    {
        LoadSample[] samples =
        [
            Sample(RequestKind.Verify, 5, 200),
            Sample(RequestKind.Verify, 5, 404),
            Sample(RequestKind.Verify, 5, 503),
            Sample(RequestKind.Verify, 5, 500),
            Sample(RequestKind.Verify, 5, 0),
        ];

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(1));

        Assert.Equal(3.0 / 5, statistics.ErrorRate, precision: 6);
        Assert.Equal(1, statistics.CountOf(500));
        Assert.Equal(0, statistics.CountOf(502));
        Assert.Equal(1.0 / 5, statistics.SuccessRate, precision: 6);
        Assert.Equal(new Dictionary<string, int> { ["2xx"] = 1, ["4xx"] = 1, ["5xx"] = 2, ["none"] = 1 }, statistics.StatusClasses);
    }

    [Fact]
    public void Fallback_share_counts_successful_verifications_only()
    {
        LoadSample[] samples =
        [
            Sample(RequestKind.Verify, 5, 200, "fallback"),
            Sample(RequestKind.Verify, 5, 200, "fallback"),
            Sample(RequestKind.Verify, 5, 200, "cache"),
            Sample(RequestKind.Verify, 5, 200, "database"),
            Sample(RequestKind.Verify, 5, 503),
            Sample(RequestKind.History, 5, 200),
        ];

        Assert.Equal(0.5, PhaseStatistics.From(samples, TimeSpan.FromSeconds(1)).FallbackShare, precision: 6);
    }

    [Fact]
    public void No_samples_give_zeros_not_errors()
    {
        var statistics = PhaseStatistics.From([], TimeSpan.Zero);

        Assert.Equal(0, statistics.Requests);
        Assert.Equal(TimeSpan.Zero, statistics.P99);
        Assert.Equal(0, statistics.ErrorRate);
    }

    [Fact]
    public void Shares_and_success_are_counted_per_request_kind()
    {
        LoadSample[] samples =
        [
            Sample(RequestKind.Verify, 5, 200),
            Sample(RequestKind.Verify, 5, 200),
            Sample(RequestKind.Verify, 5, 503),
            Sample(RequestKind.Verify, 5, 200),
            Sample(RequestKind.History, 5, 503),
            Sample(RequestKind.History, 5, 200),
        ];

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(1));

        Assert.Equal(0.75, statistics.SuccessRateOf(RequestKind.Verify), precision: 6);
        Assert.Equal(0.5, statistics.ShareOf(RequestKind.History, 503, 429), precision: 6);
        Assert.Equal(0, statistics.ShareOf(RequestKind.Scan, 503));
        Assert.Equal(0, statistics.SuccessRateOf(RequestKind.Scan));
    }

    [Fact]
    public void A_replica_serves_when_it_answers_at_least_the_given_share()
    {
        var samples = Enumerable.Range(0, 100)
            .Select(i => Sample(RequestKind.Verify, 5, 200) with { Replica = i < 95 ? "a" : "b" })
            .Append(Sample(RequestKind.Verify, 5, 0)) // no answer, no replica: not counted
            .ToList();

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(5));

        Assert.Equal(new Dictionary<string, int> { ["a"] = 95, ["b"] = 5 }, statistics.Replicas);
        Assert.Equal(2, statistics.ReplicasServing(0.05));
        Assert.Equal(1, statistics.ReplicasServing(0.10));
    }

    [Fact]
    public void The_first_failures_are_kept_as_examples_in_time_order()
    {
        var samples = Enumerable.Range(0, 50)
            .Select(i => Sample(RequestKind.Verify, 5, i % 2 == 0 ? 503 : 200) with { IntendedAt = TimeSpan.FromMilliseconds(1000 - i) })
            .ToList();

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(1));

        Assert.Equal(PhaseStatistics.FailureExamples, statistics.FirstFailures.Count);
        Assert.All(statistics.FirstFailures, sample => Assert.Equal(503, sample.StatusCode));
        Assert.Equal(statistics.FirstFailures.OrderBy(sample => sample.IntendedAt), statistics.FirstFailures);
    }

    private static LoadSample Sample(RequestKind kind, int latencyMs, int status, string? servedFrom = null) =>
        new(kind, TimeSpan.Zero, TimeSpan.FromMilliseconds(latencyMs), status, servedFrom);
}
