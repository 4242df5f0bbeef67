using VokeTag.ChaosWorker.Definitions;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

/// <summary>Requests a call fault touched (marked <c>X-Chaos-Injected</c> by the API): the blast radius measured, and criteria judged on them alone.</summary>
public class AffectedRequestsTests
{
    // 100 verifications: 5 touched, answered from the fallback in 200 ms (one of them failed); 95 untouched from the cache in 5 ms.
    private static readonly LoadSample[] Impact =
    [
        .. Enumerable.Range(0, 4).Select(_ => Sample(200, 200, "fallback", "redis-error")),
        Sample(503, 200, null, "redis-error"),
        .. Enumerable.Range(0, 95).Select(_ => Sample(200, 5, "cache", null)),
    ];

    private static readonly RunFigures Figures = new(
        PhaseStatistics.Empty, PhaseStatistics.From(Impact, TimeSpan.FromSeconds(5)), PhaseStatistics.Empty, null, new Dictionary<string, double>());

    [Fact]
    public void The_share_touched_is_counted_from_the_marks()
    {
        var impact = PhaseStatistics.From(Impact, TimeSpan.FromSeconds(5));

        Assert.Equal(5, impact.Affected);
        Assert.Equal(0.05, impact.AffectedShare, precision: 6);
        Assert.Equal(0, PhaseStatistics.From(Impact[5..], TimeSpan.FromSeconds(5)).Affected);
    }

    [Fact]
    public void Figures_among_the_touched_and_the_untouched_are_their_own()
    {
        var impact = PhaseStatistics.From(Impact, TimeSpan.FromSeconds(5));

        Assert.Equal(0.01, impact.ErrorRate, precision: 6);
        Assert.Equal(0.2, impact.Among("affected").ErrorRate, precision: 6);
        Assert.Equal(0, impact.Among("unaffected").ErrorRate);
        Assert.Equal(1.0, impact.Among("affected").FallbackShare, precision: 6);
        Assert.Equal(TimeSpan.FromMilliseconds(5), impact.Among("unaffected").P95);
        Assert.Same(impact, impact.Among("all"));
        Assert.Same(impact, impact.Among(null));
    }

    [Theory]
    [InlineData("affected-share", null, 0.05)]
    [InlineData("error-rate", "affected", 0.2)]
    [InlineData("error-rate", "unaffected", 0.0)]
    [InlineData("error-rate", null, 0.01)]
    [InlineData("p95", "affected", 0.2)]
    [InlineData("status-count", "affected", 1.0)]
    public void Criteria_read_the_requests_they_name(string metric, string? requests, double expected)
    {
        var criterion = new CriterionDefinition("c", "claim", metric, ["impact"], Comparison.LessThan, 1,
            new MetricArguments(Statuses: metric == "status-count" ? [503] : null, Requests: requests));

        Assert.Equal(expected, MetricMeasures.Measure(Figures, criterion)!.Value, precision: 6);
    }

    private static LoadSample Sample(int status, int milliseconds, string? servedFrom, string? injected) =>
        new(RequestKind.Verify, TimeSpan.Zero, TimeSpan.FromMilliseconds(milliseconds), status, servedFrom, "api-a", Injected: injected);
}
