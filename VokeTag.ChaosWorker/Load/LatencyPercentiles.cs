using HdrHistogram;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// Latency percentiles of a set of requests, nearest rank. Up to <see cref="ExactUpTo"/> latencies they are exact (the
/// latencies sorted); above it sorting every sample costs more than it tells (a 5 s guardrail window at 20,000
/// requests/s is 100,000 latencies, read twice a second), so they come from an HdrHistogram with
/// <see cref="SignificantDigits"/> significant digits: the same rank, its value at most 0.1 % above the exact one.
/// The maximum is always exact.
/// </summary>
public sealed class LatencyPercentiles
{
    /// <summary>Sets of up to this many latencies are sorted; larger ones are counted in a histogram.</summary>
    public const int ExactUpTo = 20_000;

    /// <summary>Three digits: a value is told apart from one 0.1 % away.</summary>
    public const int SignificantDigits = 3;

    /// <summary>The largest latency the histogram tells apart; a longer one (no request waits an hour) counts as this.</summary>
    private static readonly long HighestTicks = TimeSpan.FromHours(1).Ticks;

    private readonly TimeSpan[]? _sorted;
    private readonly LongHistogram? _histogram;

    private LatencyPercentiles(TimeSpan[]? sorted, LongHistogram? histogram, int count, TimeSpan max)
    {
        _sorted = sorted;
        _histogram = histogram;
        Count = count;
        Max = max;
    }

    public int Count { get; }

    public TimeSpan Max { get; }

    /// <summary>True when the figures come from the histogram rather than from every latency sorted.</summary>
    public bool Approximate => _histogram is not null;

    public static LatencyPercentiles Of(IEnumerable<TimeSpan> latencies)
    {
        var all = latencies as IReadOnlyCollection<TimeSpan> ?? [.. latencies];
        if (all.Count <= ExactUpTo)
        {
            TimeSpan[] sorted = [.. all.Order()];
            return new LatencyPercentiles(sorted, null, sorted.Length, sorted.Length == 0 ? TimeSpan.Zero : sorted[^1]);
        }

        var histogram = new LongHistogram(1, HighestTicks, SignificantDigits);
        var max = TimeSpan.Zero;
        foreach (var latency in all)
        {
            histogram.RecordValue(Math.Clamp(latency.Ticks, 1, HighestTicks));
            max = latency > max ? latency : max;
        }

        return new LatencyPercentiles(null, histogram, all.Count, max);
    }

    /// <summary>The latency at <paramref name="percentile"/> (0–100), nearest rank; zero for no latencies.</summary>
    public TimeSpan At(double percentile)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        if (_histogram is not null)
        {
            // The histogram answers the upper end of the bucket holding that rank: never below the exact value.
            return TimeSpan.FromTicks(Math.Min(_histogram.GetValueAtPercentile(percentile), Max.Ticks));
        }

        var rank = (int)Math.Ceiling(percentile / 100 * _sorted!.Length);
        return _sorted[Math.Clamp(rank, 1, _sorted.Length) - 1];
    }
}
