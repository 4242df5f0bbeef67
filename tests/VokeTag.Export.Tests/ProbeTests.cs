namespace VokeTag.Export.Tests;

/// <summary>
/// Which criteria become Litmus httpProbes: a count that allows none of one status ("no request answered 500", "every
/// request answered"), over all requests; everything else is judged by the worker only, and says so.
/// </summary>
public class ProbeTests
{
    [Theory]
    [InlineData("status-count", new[] { 500 }, new[] { "impact", "recovery" }, Comparison.AtMost, 0, "Continuous")]
    [InlineData("status-count", new[] { 500 }, new[] { "impact" }, Comparison.LessThan, 1, "OnChaos")]
    [InlineData("status-count", new[] { 0 }, new[] { "recovery" }, Comparison.AtMost, 0, "EOT")]
    [InlineData("status-count", new[] { 502 }, new[] { "baseline" }, Comparison.AtMost, 0, "SOT")]
    [InlineData("status-count", new[] { 500 }, new[] { "baseline", "recovery" }, Comparison.AtMost, 0, "Edge")]
    public void Never_answered_with_one_status_becomes_a_probe(string metric, int[] statuses, string[] phases, Comparison comparison, double threshold, string mode)
    {
        var criterion = new CriterionDefinition("c", "s", metric, phases, comparison, threshold, new MetricArguments(Statuses: statuses));

        var probe = HttpProbes.For(criterion, out var workerOnly);

        Assert.Null(workerOnly);
        Assert.NotNull(probe);
        Assert.Equal(mode, probe.Mode);
        Assert.Equal("!=", probe.Comparison);
        Assert.Equal(statuses[0], probe.ResponseCode);
        Assert.Equal($"{LabTopology.ApiUrl}/tags/{LabTopology.ProbeTag}", probe.Url);
        Assert.True(EngineRules.IsDuration(HttpProbe.ProbeTimeout) && EngineRules.IsDuration(HttpProbe.Interval) && EngineRules.IsDuration(HttpProbe.PollingInterval));
    }

    [Theory]
    [InlineData("status-count", "a count of requests above zero", 5.0, null)]
    [InlineData("status-count", "the API's marks", 0.0, "affected")]
    [InlineData("error-rate", "a share of all the load's requests", 0.05, null)]
    [InlineData("fallback-share", "a share of all the load's requests", 0.8, null)]
    [InlineData("p99", "a latency percentile", 1.0, null)]
    [InlineData("recovery-time", "timed by the worker", 30.0, null)]
    [InlineData("breaker-opened", "/diagnostics", 1.0, null)]
    [InlineData("replicas-serving", "X-Replica", 2.0, null)]
    [InlineData("api-cpu-peak", "resource reading", 0.8, null)]
    public void Every_other_criterion_is_judged_by_the_worker_only_and_says_why(string metric, string why, double threshold, string? requests)
    {
        var criterion = new CriterionDefinition("c", "s", metric, ["impact"], Comparison.AtMost, threshold, new MetricArguments(Statuses: [500], Requests: requests));

        Assert.Null(HttpProbes.For(criterion, out var workerOnly));
        Assert.Contains(why, workerOnly!.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void Several_statuses_cannot_be_one_probe()
    {
        var criterion = new CriterionDefinition("c", "s", "status-count", ["impact"], Comparison.AtMost, 0, new MetricArguments(Statuses: [500, 502]));

        Assert.Null(HttpProbes.For(criterion, out var workerOnly));
        Assert.Contains("one status", workerOnly!.Why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_built_in_experiments_probe_status_500_and_the_write_ledger_stays_with_the_worker()
    {
        var redis = Exports.Tree(ExportEngine.Litmus).Experiments.Single(export => export.Name == "redis-failure").Resources!;

        Assert.Equal(["status-500"], redis.Probes.Select(probe => probe.Criterion.Name));
        Assert.Equal(["fallback-share", "error-rate", "latency-increase", "cpu-below-80", "db-cpu-below-80", "recovery-time", Limits.LedgerMissing, Limits.LedgerDuplicates],
            redis.WorkerOnly.Select(criterion => criterion.Name));
        Assert.Empty(Exports.Tree(ExportEngine.ChaosMesh).Experiments.Where(export => export.Exported).SelectMany(export => export.Resources!.Probes));
    }
}
