using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

public class LatencyPercentilesTests
{
    [Fact]
    public void Small_sets_are_exact_nearest_rank()
    {
        var percentiles = LatencyPercentiles.Of(Enumerable.Range(1, 100).Select(ms => TimeSpan.FromMilliseconds(ms)).Reverse());

        Assert.False(percentiles.Approximate);
        Assert.Equal(TimeSpan.FromMilliseconds(50), percentiles.At(50));
        Assert.Equal(TimeSpan.FromMilliseconds(99), percentiles.At(99));
        Assert.Equal(TimeSpan.FromMilliseconds(100), percentiles.Max);
    }

    [Fact]
    public void Large_sets_come_from_the_histogram_within_a_tenth_of_a_percent_above_the_exact_rank()
    {
        // 100,000 latencies spread from 50 µs to 5 s, shuffled: the shape of a saturated phase with a slow tail.
        var random = new Random(7);
        var latencies = Enumerable.Range(0, 100_000)
            .Select(_ => TimeSpan.FromTicks((long)(500 * Math.Pow(10_000, random.NextDouble()))))
            .ToArray();
        var sorted = latencies.Order().ToArray();

        var percentiles = LatencyPercentiles.Of(latencies);

        Assert.True(percentiles.Approximate);
        Assert.Equal(sorted.Length, percentiles.Count);
        Assert.Equal(sorted[^1], percentiles.Max);
        foreach (var percentile in new[] { 50.0, 95, 99, 99.9 })
        {
            var exact = sorted[(int)Math.Ceiling(percentile / 100 * sorted.Length) - 1];
            var approximate = percentiles.At(percentile);
            Assert.InRange(approximate.Ticks, exact.Ticks, exact.Ticks + (long)Math.Ceiling(exact.Ticks * 0.001));
        }
    }

    [Fact]
    public void The_histogram_never_answers_above_the_largest_latency()
    {
        var latencies = Enumerable.Repeat(TimeSpan.FromTicks(123_457), LatencyPercentiles.ExactUpTo + 1);

        var percentiles = LatencyPercentiles.Of(latencies);

        Assert.True(percentiles.Approximate);
        Assert.Equal(TimeSpan.FromTicks(123_457), percentiles.At(99));
    }

    [Fact]
    public void No_latencies_give_zero()
    {
        Assert.Equal(TimeSpan.Zero, LatencyPercentiles.Of([]).At(95));
        Assert.Equal(TimeSpan.Zero, LatencyPercentiles.Of([]).Max);
    }
}
