using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

/// <summary>
/// A request the API shed on purpose (503 with X-Shed) is graceful degradation: counted apart, neither a success nor
/// a failure of the service. Any other 503 (a dependency outage, no X-Shed) is still a failure.
/// </summary>
public class ShedAccountingTests
{
    [Fact]
    public void A_shed_request_is_neither_a_success_nor_a_failure_but_a_dependency_503_fails()
    {
        var shed = Sample(RequestKind.History, 503, shedReason: "cpu");
        var outage = Sample(RequestKind.History, 503);
        var shedHeaderOnA200 = Sample(RequestKind.History, 200, shedReason: "cpu");

        Assert.True(shed.Shed);
        Assert.False(shed.Failed);
        Assert.False(shed.Succeeded);
        Assert.True(outage.Failed);
        Assert.False(outage.Shed);
        Assert.False(shedHeaderOnA200.Shed); // only a 503 is a shed answer
    }

    [Fact]
    public void Error_and_success_rates_are_over_the_requests_the_api_took_on_and_shed_ones_are_counted_apart()
    {
        LoadSample[] samples =
        [
            .. Enumerable.Repeat(Sample(RequestKind.Verify, 200), 6),
            Sample(RequestKind.Scan, 201),
            Sample(RequestKind.History, 503), // a dependency outage: a failure
            Sample(RequestKind.History, 503, shedReason: "cpu"),
            Sample(RequestKind.History, 503, shedReason: "concurrency"),
        ];

        var statistics = PhaseStatistics.From(samples, TimeSpan.FromSeconds(1));

        Assert.Equal(2, statistics.Shed);
        Assert.Equal(new Dictionary<RequestKind, int> { [RequestKind.History] = 2 }, statistics.ShedByKind);
        Assert.Equal(new Dictionary<string, int> { ["concurrency"] = 1, ["cpu"] = 1 }, statistics.ShedByReason);
        Assert.Equal(1.0 / 8, statistics.ErrorRate, precision: 6);
        Assert.Equal(7.0 / 8, statistics.SuccessRate, precision: 6);
        Assert.Equal(2.0 / 3, statistics.ShedShareOf(RequestKind.History), precision: 6);
        Assert.Equal(0, statistics.ShedShareOf(RequestKind.Verify));
        Assert.Equal(3, statistics.CountOf(503)); // the status table still shows every 503
        Assert.DoesNotContain(statistics.FirstFailures, sample => sample.Shed);
    }

    [Fact]
    public void Pod_failure_success_rate_ignores_shed_reads_but_counts_every_other_failure()
    {
        var criterion = BuiltIn.Experiment("pod-failure").DefineHypothesis(new RunOptions()).Criteria
            .Single(criterion => criterion.Name == "success-rate");
        LoadSample[] served = [.. Enumerable.Repeat(Sample(RequestKind.Verify, 200), 295)];

        // The surviving replica sheds five history reads while its peer restarts: the design working.
        Assert.True(criterion.Evaluate(Figures([.. served, .. Enumerable.Repeat(Sample(RequestKind.History, 503, shedReason: "cpu"), 5)])).Passed);
        // Five history reads refused by the killed replica: 98.3 %, failed service.
        Assert.False(criterion.Evaluate(Figures([.. served, .. Enumerable.Repeat(Sample(RequestKind.History, 0), 5)])).Passed);
    }

    [Fact]
    public void High_cpu_counts_only_shed_answers_as_shedding_and_recovers_only_once_shedding_stops()
    {
        var experiment = BuiltIn.Experiment("high-cpu");
        var criterion = experiment.DefineHypothesis(new RunOptions()).Criteria.Single(criterion => criterion.Name == "non-critical-shed");
        var steady = experiment.SteadyState(new RunOptions());

        Assert.True(criterion.Evaluate(Figures([Sample(RequestKind.Verify, 200), Sample(RequestKind.History, 503, shedReason: "cpu")])).Passed);
        // A history read failing with a dependency's 503 is not shedding.
        Assert.False(criterion.Evaluate(Figures([Sample(RequestKind.Verify, 200), Sample(RequestKind.History, 503)])).Passed);
        Assert.False(steady(Sample(RequestKind.History, 503, shedReason: "cpu")));
        Assert.True(steady(Sample(RequestKind.History, 200)));
    }

    private static RunFigures Figures(IReadOnlyCollection<LoadSample> impact) => new(
        PhaseStatistics.Empty, PhaseStatistics.From(impact, TimeSpan.FromSeconds(10)), PhaseStatistics.Empty, null, new Dictionary<string, double>());

    private static LoadSample Sample(RequestKind kind, int status, string? shedReason = null) =>
        new(kind, TimeSpan.Zero, TimeSpan.FromMilliseconds(5), status, ShedReason: shedReason);
}
