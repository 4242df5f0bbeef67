using VokeTag.ChaosWorker.Load;

namespace VokeTag.Bench.Performance;

/// <summary>
/// The worker's load generator (<see cref="ConstantRateLoad"/>, the same class the worker runs) against wrk on one
/// endpoint of the lab's API: at saturation, and at a fixed low rate.
/// </summary>
public static class LoadGeneratorComparison
{
    /// <summary>The endpoint both hit: one verification, the critical path.</summary>
    public const string Path = "/tags/VT-000001";

    public sealed record Measured(double RequestsPerSecond, TimeSpan P50, TimeSpan P99, int Failed);

    /// <summary>Sends <paramref name="ratePerSecond"/> verifications a second for <paramref name="seconds"/>; open model.</summary>
    /// <param name="keepConnections">Keep each connection for the whole run, as wrk does, instead of renewing it as the
    /// worker does to spread its traffic over the replicas.</param>
    public static async Task<Measured> RunAsync(Uri api, double ratePerSecond, int seconds, bool keepConnections = false)
    {
        var load = ConstantRateLoad.Create(api, TimeProvider.System, keepConnections ? Timeout.InfiniteTimeSpan : null);
        var profile = new LoadProfile { RatePerSecond = ratePerSecond, VerifyPercent = 100, HistoryPercent = 0, ScanPercent = 0, TagWorkingSet = 1 };
        var duration = TimeSpan.FromSeconds(seconds);
        var samples = await load.RunAsync(profile, duration, $"bench-{Guid.NewGuid():N}", CancellationToken.None);
        var statistics = PhaseStatistics.From(samples, duration);
        return new Measured(statistics.ThroughputPerSecond, statistics.P50, statistics.P99, samples.Count(sample => !sample.Succeeded));
    }
}
