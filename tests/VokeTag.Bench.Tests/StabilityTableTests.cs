using VokeTag.Bench.Stability;

namespace VokeTag.Bench.Tests;

public class StabilityTableTests
{
    [Theory]
    [InlineData(0.995, "at-least", 0.99, "%", 0.5)]       // half of the 1 % error budget used
    [InlineData(0.99, "at-least", 0.99, "%", 0.0)]        // on the threshold
    [InlineData(0.985, "at-least", 0.99, "%", -0.5)]      // failed
    [InlineData(0.95, "greater-than", 0.80, "%", 0.75)]   // fallback share: room above the floor
    [InlineData(0.02, "less-than", 0.10, "%", 0.8)]       // error rate: budget is the threshold
    [InlineData(0.9, "at-most", 1.0, "s", 0.1)]           // P99 0.9 s of 1 s
    [InlineData(4.0, "less-than", 5.0, "x", 0.2)]
    [InlineData(0.4, "greater-than", 0.0, "%", 0.4)]      // shed share above zero: 2 % would be a near-flip
    public void The_margin_is_the_share_of_the_budget_left_unused(double measured, string comparison, double threshold, string unit, double margin)
    {
        Assert.Equal(margin, StabilityTable.Margin(new("c", measured, comparison, threshold, unit, true))!.Value, precision: 6);
    }

    [Theory]
    [InlineData(2.0, "at-least", 2.0, "")]    // replicas serving: a count
    [InlineData(0.0, "at-most", 0.0, "")]     // status-500: none allowed
    [InlineData(null, "less-than", 0.1, "%")] // not measured
    public void Counts_switches_and_unmeasured_figures_have_no_margin(double? measured, string comparison, double threshold, string unit)
    {
        Assert.Null(StabilityTable.Margin(new("c", measured, comparison, threshold, unit, true)));
    }

    [Fact]
    public void A_flip_is_a_run_without_the_verdict_its_api_must_get_and_thin_margins_are_flagged()
    {
        RunRecord[] records =
        [
            Run("reference", "passed", 0.999), Run("reference", "passed", 0.991), Run("reference", "failed", 0.985),
            Run("weakened", "failed", 0.5), Run("weakened", "aborted", 0.4), Run("weakened", "passed", 0.995),
        ];

        var table = StabilityTable.Render(records);

        Assert.Contains("| process | reference | pod-failure | 3 | pass | 2/3 | **1** | success-rate (1) |", table);
        Assert.Contains("| process | weakened | pod-failure | 3 | fail | 2/3 | **1** | success-rate (2) |", table);
        Assert.Contains("| process | pod-failure | `success-rate` | ≥ 99 % | 98.5 % – 99.9 % | -50 % | **failed** |", table);
        Assert.Contains("6 runs from 1 sitting(s)", table);
    }

    [Fact]
    public void A_criterion_that_held_every_time_with_little_room_left_is_flagged_thin()
    {
        var table = StabilityTable.Render([Run("reference", "passed", 0.9908), Run("reference", "passed", 0.999)]);

        Assert.Contains("| `success-rate` | ≥ 99 % | 99.1 % – 99.9 % | 8 % | **thin** |", table);
    }

    [Fact]
    public void One_sitting_is_chosen_by_its_id_or_as_the_latest_and_an_unknown_one_is_named()
    {
        RunRecord[] records =
        [
            Run("reference", "passed", 0.999) with { Sitting = "a" }, Run("weakened", "failed", 0.5) with { Sitting = "b" },
            Run("reference", "passed", 0.995) with { Sitting = "b" },
        ];

        Assert.Equal(["a"], StabilityTable.OfSitting(records, "a").Select(record => record.Sitting));
        Assert.Equal(2, StabilityTable.OfSitting(records, "latest").Count);
        var refused = Assert.Throws<BenchUsageException>(() => StabilityTable.OfSitting(records, "c"));
        Assert.Equal("--sitting: no runs of sitting 'c'; recorded: a, b.", refused.Message);
    }

    private static RunRecord Run(string variant, string status, double successRate) => new(
        "20261127-230000", "2 cores", "process", variant, "3/6/12/2 s", "pod-failure", Guid.NewGuid().ToString("N"), status, 0,
        [new("success-rate", successRate, "at-least", 0.99, "%", successRate >= 0.99)]);
}
