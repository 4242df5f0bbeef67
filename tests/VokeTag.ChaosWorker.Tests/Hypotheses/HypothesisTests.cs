using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Hypotheses;

public class HypothesisTests
{
    private static readonly Criterion ErrorRate = new("error-rate", "Error rate stays acceptable",
        figures => figures.Impact.ErrorRate, Comparison.LessThan, 0.10, "%");

    private static readonly Criterion LatencyIncrease = new("latency-increase", "Latency degradation is acceptable",
        figures => figures.LatencyIncrease, Comparison.LessThan, 5, "x");

    private static readonly Criterion Recovered = new("recovery-time", "System recovered after Redis restoration",
        figures => figures.RecoveryTime?.TotalSeconds, Comparison.LessThan, 30, "s");

    private static readonly Hypothesis RedisFails = new("When Redis fails, reads fall back to PostgreSQL", [ErrorRate, LatencyIncrease, Recovered]);

    [Fact]
    public void Holds_when_every_criterion_passes()
    {
        var verdict = RedisFails.Judge(Figures(errorRate: 0.02, baselineP95Ms: 10, impactP95Ms: 30, recovery: TimeSpan.FromSeconds(2)));

        Assert.True(verdict.Holds);
        Assert.Equal("PASS: Error rate stays acceptable (error-rate 2%, expected < 10%)", verdict.Results[0].ToString());
        Assert.Equal("PASS: Latency degradation is acceptable (latency-increase 3.0x, expected < 5.0x)", verdict.Results[1].ToString());
    }

    [Theory]
    [InlineData(0.10, 10, 30, 2, "error-rate")]       // the threshold itself is not "less than"
    [InlineData(0.00, 10, 50, 2, "latency-increase")] // exactly 5x
    [InlineData(0.00, 10, 30, 31, "recovery-time")]
    public void Fails_naming_the_criterion_that_broke(double errorRate, int baselineMs, int impactMs, int recoverySeconds, string failed)
    {
        var verdict = RedisFails.Judge(Figures(errorRate, baselineMs, impactMs, TimeSpan.FromSeconds(recoverySeconds)));

        Assert.False(verdict.Holds);
        Assert.Equal(failed, Assert.Single(verdict.Failures).Criterion.Name);
    }

    [Fact]
    public void A_figure_that_could_not_be_measured_fails_rather_than_passes()
    {
        var verdict = RedisFails.Judge(Figures(errorRate: 0, baselineP95Ms: 10, impactP95Ms: 30, recovery: null, baselineRequests: 0));

        Assert.Equal(["latency-increase", "recovery-time"], verdict.Failures.Select(failure => failure.Criterion.Name));
        Assert.Contains("not measured", verdict.Failures.First().ToString());
    }

    [Fact]
    public void Latency_increase_treats_a_sub_10_ms_baseline_as_10_ms()
    {
        Assert.Equal(1.1, Figures(0, baselineP95Ms: 2, impactP95Ms: 11, recovery: null).LatencyIncrease!.Value, precision: 6);
        Assert.Equal(2.0, Figures(0, baselineP95Ms: 40, impactP95Ms: 80, recovery: null).LatencyIncrease!.Value, precision: 6);
    }

    private static RunFigures Figures(double errorRate, int baselineP95Ms, int impactP95Ms, TimeSpan? recovery, int baselineRequests = 100) => new(
        Phase(0, baselineP95Ms) with { Requests = baselineRequests }, Phase(errorRate, impactP95Ms), Phase(0, baselineP95Ms), recovery, new Dictionary<string, double>());

    private static PhaseStatistics Phase(double errorRate, int p95Ms) => PhaseStatistics.Empty with
    {
        Requests = 100,
        ErrorRate = errorRate,
        P95 = TimeSpan.FromMilliseconds(p95Ms),
    };
}
