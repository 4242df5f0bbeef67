namespace VokeTag.Bench.Performance;

/// <summary>What the fault proxy must reach on this machine (issue 10), one check per goal, each saying why in its row.</summary>
public static class PerformanceGoals
{
    /// <summary>At one connection the proxy may add this much to the median round trip.</summary>
    public static readonly TimeSpan MaxAddedP50 = TimeSpan.FromMicroseconds(50);

    /// <summary>Throughput through cache-proxy against direct, at one connection and at saturation.</summary>
    public const double MinCacheRatio = 0.6;

    /// <summary>pgbench -S through db-proxy against direct.</summary>
    public const double MinDbRatio = 0.7;

    /// <summary>The load generator at saturation against wrk's throughput on the same endpoint.</summary>
    public const double MinLoadRatio = 0.8;

    /// <summary>At a fixed low rate the load generator's percentiles are within 10 % of wrk's.</summary>
    public static bool PercentileHolds(TimeSpan wrk, TimeSpan generator) =>
        Math.Abs((generator - wrk).TotalMilliseconds) <= 0.1 * wrk.TotalMilliseconds;

    /// <summary>Injected latency: the added median within 2 % of the setting or 1 ms, whichever is larger.</summary>
    public static bool LatencyHolds(double setMs, double addedMs) => Math.Abs(addedMs - setMs) <= Math.Max(0.02 * setMs, 1);

    /// <summary>
    /// Jitter of ±J around L: every added latency inside [L − J, L + J] (1 ms of slack below, 2 above for the timer)
    /// and the spread wide enough to show it is there (uniform draws over ±J span nearly 2J; at least 1.6J).
    /// </summary>
    public static bool JitterHolds(double latencyMs, double jitterMs, double minAddedMs, double maxAddedMs) =>
        minAddedMs >= latencyMs - jitterMs - 1 && maxAddedMs <= latencyMs + jitterMs + 2 && maxAddedMs - minAddedMs >= 1.6 * jitterMs;

    /// <summary>A bandwidth limit holds within 5 % of its setting.</summary>
    public static bool BandwidthHolds(double limitBytesPerSecond, double measuredBytesPerSecond) =>
        Math.Abs(measuredBytesPerSecond - limitBytesPerSecond) <= 0.05 * limitBytesPerSecond;
}
