using VokeTag.Bench.Performance;

namespace VokeTag.Bench.Tests;

public class PerformanceGoalsTests
{
    [Theory]
    [InlineData(10, 10.9, true)]     // within 1 ms (2 % of 10 ms is less)
    [InlineData(10, 11.2, false)]
    [InlineData(100, 101.9, true)]   // within 2 ms
    [InlineData(100, 97.5, false)]
    [InlineData(1000, 1019, true)]   // within 20 ms
    [InlineData(1000, 1025, false)]
    public void Injected_latency_holds_within_two_percent_or_one_millisecond(double set, double added, bool holds) =>
        Assert.Equal(holds, PerformanceGoals.LatencyHolds(set, added));

    [Theory]
    [InlineData(51, 149, true)]
    [InlineData(48, 149, false)]   // below L − J
    [InlineData(51, 153, false)]   // above L + J
    [InlineData(80, 120, false)]   // no spread to speak of: jitter is not there
    public void Jitter_stays_inside_its_range_and_fills_it(double minAdded, double maxAdded, bool holds) =>
        Assert.Equal(holds, PerformanceGoals.JitterHolds(100, 50, minAdded, maxAdded));

    [Theory]
    [InlineData(1_000_000, 960_000, true)]
    [InlineData(1_000_000, 940_000, false)]
    [InlineData(1_000_000, 1_060_000, false)]
    public void A_bandwidth_limit_holds_within_five_percent(double limit, double measured, bool holds) =>
        Assert.Equal(holds, PerformanceGoals.BandwidthHolds(limit, measured));

    [Fact]
    public void The_table_shows_medians_ratios_and_which_goals_were_missed()
    {
        var table = new PerformanceTable(rounds: 3, smoke: false);
        foreach (var (direct, proxied) in new[] { (20_000.0, 15_000.0), (22_000.0, 14_000.0), (21_000.0, 16_000.0) })
        {
            table.AddThroughput("GET, 1 connection", "cache-proxy",
                (direct, 0.040, 20_000, TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(10)),
                (proxied, 0.070, 20_000, TimeSpan.FromSeconds(1.4), TimeSpan.FromMilliseconds(414)), (direct * 0.5, 0.085));
        }

        table.AddThroughput("pgbench -S, 8 clients", "db-proxy",
            (15_000, double.NaN, 150_000, TimeSpan.FromSeconds(10), TimeSpan.Zero),
            (9_000, double.NaN, 90_000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
        table.AddLatency(100, "both", 201.5, 50);

        var markdown = table.Render(DateTimeOffset.UnixEpoch, "2 cores", "process");

        // median direct 21k, proxied 15k: 0.71×, +30 µs; CPU: 414 ms less 14 ms of background over 20k ops = 20 µs
        // HAProxy, measured in the same rounds at half of each direct run: median 10,500, 0.50×
        Assert.Contains("| GET, 1 connection (cache-proxy) | 21,000 rps, p50 40 µs | 15,000 rps, p50 70 µs (+30 µs) | **0.71×** | 20.0 µs | 10,500 rps, p50 85 µs | 0.50× | ≥ 0.6×, ≤ 50 µs added | yes |", markdown);
        Assert.Contains("| pgbench -S, 8 clients (db-proxy) | 15,000 tps | 9,000 tps | **0.60×** | 22.2 µs | — | — | ≥ 0.7× | **no** |", markdown);
        Assert.Contains("| latency 100 ms, both (50 GETs) | 200 ms added | 201.5 ms added | ±4 ms | yes |", markdown);
        Assert.False(table.AllGoalsMet);
    }

    [Fact]
    public void A_partial_sitting_says_so_and_meets_no_goal_it_did_not_measure()
    {
        var table = new PerformanceTable(rounds: 1, smoke: false, PerformanceOptions.Parse(["--parts", "faults"]).Parts);
        table.AddLatency(10, "upstream", 10.3, 100);

        var markdown = table.Render(DateTimeOffset.UnixEpoch, "2 cores", "process");

        Assert.Contains("PARTIAL: only faults", markdown);
        Assert.DoesNotContain("proxied / direct", markdown); // no empty throughput table
        Assert.False(table.AllGoalsMet);
    }

    [Theory]
    [InlineData("load,faults", true)]
    [InlineData("throughput, load", true)]
    [InlineData("load,latency", false)]
    [InlineData(",", false)]
    public void Parts_are_named_from_a_fixed_list(string value, bool accepted)
    {
        if (accepted)
        {
            Assert.True(PerformanceOptions.Parse(["--parts", value]).Runs("load"));
            return;
        }

        var problem = Assert.Throws<BenchUsageException>(() => PerformanceOptions.Parse(["--parts", value]));
        Assert.Contains("allowed: a comma-separated list of faults, load, throughput", problem.Message);
    }

    [Fact]
    public void The_load_generator_rows_are_medians_over_the_rounds()
    {
        var table = new PerformanceTable(rounds: 3, smoke: false);
        foreach (var (wrk, generator) in new[] { (3_000.0, 2_700.0), (2_000.0, 1_000.0), (4_000.0, 3_500.0) })
        {
            table.AddLoadSaturation(new Wrk.Result(wrk, TimeSpan.Zero, TimeSpan.Zero, 0),
                new LoadGeneratorComparison.Measured(generator, TimeSpan.Zero, TimeSpan.Zero, Failed: 100), 1.5 * wrk);
            // wrk's p99 15, 10, 20 ms before the generator and 1 ms lower after it: over all six runs its median is 14.5 ms
            table.AddLoadPaced(new Wrk.Result(70, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(wrk / 200), 0),
                new LoadGeneratorComparison.Measured(70, TimeSpan.FromMilliseconds(2.1), TimeSpan.FromMilliseconds(generator / 200), 0),
                new LoadGeneratorComparison.Measured(70, TimeSpan.FromMilliseconds(2.2), TimeSpan.FromMilliseconds(generator / 100), 0),
                new Wrk.Result(70, TimeSpan.FromMilliseconds(2), TimeSpan.FromMilliseconds(wrk / 200 - 1), 0));
        }

        var markdown = table.Render(DateTimeOffset.UnixEpoch, "2 cores", "process");

        // saturation: median wrk 3,000, median generator 2,700 (not the median of the ratios)
        Assert.Contains("| at saturation (wrk: 2 threads, 50 connections; generator asked 4,500/s) | 3,000 rps | 2,700 rps answered 2xx (100 failed, not sent or timed out) | **0.90×** | ≥ 0.8× | yes |", markdown);
        // paced: p50 2.1 of 2 ms (1.05×, inside 10 %), p99 13.5 of 14.5 ms (0.93×); wrk's p99 itself ran from 9 to 20 ms
        Assert.Contains("| fixed rate 70/s (wrk: 1 connection, 10 ms delay, 6 runs around the generator's 3; both keep their connection) | " +
            "p50 2.00 ms, p99 14.50 ms (its p99 from run to run: 9.00 ms–20.00 ms, 0.62–1.38×) | p50 2.10 ms, p99 13.50 ms | 1.05×, 0.93× | within 10 % | yes |", markdown);
        // renewing connections as an experiment does: shown beside it (p99 27 of 14.5 ms), judged by nothing
        Assert.Contains("| the same rate, the generator renewing its connection every 0.5 s as an experiment does (to reach both replicas) | " +
            "as above | p50 2.20 ms, p99 27.00 ms | 1.10×, 1.86× | shown, not judged | – |", markdown);
    }
}
