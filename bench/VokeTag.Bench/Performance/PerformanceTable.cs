using System.Globalization;
using System.Text;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.Bench.Performance;

/// <summary>The performance sitting's figures, and its Markdown table: medians over rounds, ratios and goals.</summary>
public sealed class PerformanceTable(int rounds, bool smoke, IReadOnlySet<string>? parts = null)
{
    private readonly List<(string Name, string Proxy, Run Direct, Run Proxied, (double Rate, double P50Ms)? Reference)> _throughput = [];
    private readonly List<string> _faultRows = [];
    private readonly List<(Wrk.Result Wrk, LoadGeneratorComparison.Measured Generator, double Asked)> _saturation = [];
    private readonly List<(Wrk.Result Wrk, LoadGeneratorComparison.Measured Generator, LoadGeneratorComparison.Measured Renewed, Wrk.Result WrkAgain)> _paced = [];
    private bool _faultGoalsMet = true;

    /// <summary>The reference proxy's name in the table's heading, as it gives it.</summary>
    public string ReferenceName { get; set; } = "HAProxy";

    /// <summary>Every goal was measured in this sitting, and met.</summary>
    public bool AllGoalsMet => Complete && _faultGoalsMet && ThroughputRows().All(row => row.Met) && LoadRows().All(row => row.Met);

    private bool Complete => parts is null || PerformanceOptions.AllParts.IsSubsetOf(parts);

    public void AddThroughput(string name, string proxy,
        (double Rate, double P50Ms, long Operations, TimeSpan Wall, TimeSpan AppHostCpu) direct,
        (double Rate, double P50Ms, long Operations, TimeSpan Wall, TimeSpan AppHostCpu) proxied,
        (double Rate, double P50Ms)? reference = null) =>
        _throughput.Add((name, proxy, new Run(direct.Rate, direct.P50Ms, direct.Operations, direct.Wall, direct.AppHostCpu),
            new Run(proxied.Rate, proxied.P50Ms, proxied.Operations, proxied.Wall, proxied.AppHostCpu), reference));

    public void AddLatency(int setMs, string direction, double addedMs, int requests)
    {
        var expected = direction == "both" ? 2 * setMs : setMs; // once each way
        var met = PerformanceGoals.LatencyHolds(expected, addedMs);
        _faultGoalsMet &= met;
        _faultRows.Add(Row($"latency {setMs} ms, {direction} ({requests} GETs)", $"{expected} ms added", $"{Number(addedMs)} ms added",
            $"±{Math.Max(0.02 * expected, 1).ToString("0.##", CultureInfo.InvariantCulture)} ms", met));
    }

    public void AddJitter(int latencyMs, int jitterMs, double minAddedMs, double p50AddedMs, double maxAddedMs)
    {
        var met = PerformanceGoals.JitterHolds(latencyMs, jitterMs, minAddedMs, maxAddedMs);
        _faultGoalsMet &= met;
        _faultRows.Add(Row($"latency {latencyMs} ± {jitterMs} ms, upstream", $"{latencyMs - jitterMs}–{latencyMs + jitterMs} ms added",
            $"{Number(minAddedMs)}–{Number(maxAddedMs)} ms (p50 {Number(p50AddedMs)})", $"inside, spread ≥ {1.6 * jitterMs:0} ms", met));
    }

    public void AddBandwidth(double limitBytesPerSecond, double measuredBytesPerSecond)
    {
        var met = PerformanceGoals.BandwidthHolds(limitBytesPerSecond, measuredBytesPerSecond);
        _faultGoalsMet &= met;
        _faultRows.Add(Row("bandwidth, downstream (500 kB GETs)", $"{limitBytesPerSecond / 1000:0} kB/s",
            $"{measuredBytesPerSecond / 1000:0.#} kB/s ({(measuredBytesPerSecond / limitBytesPerSecond - 1) * 100:+0.0;-0.0} %)", "±5 %", met));
    }

    public void AddLoadSaturation(Wrk.Result wrk, LoadGeneratorComparison.Measured generator, double askedPerSecond) =>
        _saturation.Add((wrk, generator, askedPerSecond));

    /// <param name="wrk">wrk paced, before the generator: the rate the generator is asked for.</param>
    /// <param name="generator">The generator keeping its connection for the run, as wrk does: the row's goal.</param>
    /// <param name="renewed">The generator renewing its connection as an experiment does (new connections reach both
    /// replicas; each one's first request costs the server more): shown beside it, not judged.</param>
    /// <param name="wrkAgain">wrk paced again after it: wrk against itself is the noise floor of the row.</param>
    public void AddLoadPaced(Wrk.Result wrk, LoadGeneratorComparison.Measured generator, LoadGeneratorComparison.Measured renewed, Wrk.Result wrkAgain) =>
        _paced.Add((wrk, generator, renewed, wrkAgain));

    /// <summary>The load generator's rows: medians over the rounds, each round wrk then the generator.</summary>
    private IEnumerable<(string Markdown, bool Met)> LoadRows()
    {
        if (_saturation.Count > 0)
        {
            var wrk = Median(_saturation.Select(run => run.Wrk.RequestsPerSecond));
            var generator = Median(_saturation.Select(run => run.Generator.RequestsPerSecond));
            var failed = Median(_saturation.Select(run => (double)run.Generator.Failed));
            var asked = Median(_saturation.Select(run => run.Asked));
            var ratio = generator / wrk;
            var met = ratio >= PerformanceGoals.MinLoadRatio;
            yield return ($"| at saturation (wrk: 2 threads, 50 connections; generator asked {asked:#,0}/s) | {wrk:#,0} rps | " +
                $"{generator:#,0} rps answered 2xx{(failed > 0 ? $" ({failed:#,0} failed, not sent or timed out)" : "")} | **{ratio:0.00}×** | ≥ {PerformanceGoals.MinLoadRatio:0.0}× | {(met ? "yes" : "**no**")} |", met);
        }

        if (_paced.Count > 0)
        {
            var wrkRuns = _paced.SelectMany(run => new[] { run.Wrk, run.WrkAgain }).ToList();
            TimeSpan MedianOf(IEnumerable<TimeSpan> values) => TimeSpan.FromMilliseconds(Median(values.Select(value => value.TotalMilliseconds)));
            var (wrkP50, wrkP99) = (MedianOf(wrkRuns.Select(run => run.P50)), MedianOf(wrkRuns.Select(run => run.P99)));
            var (p50, p99) = (MedianOf(_paced.Select(run => run.Generator.P50)), MedianOf(_paced.Select(run => run.Generator.P99)));
            var rate = Median(wrkRuns.Select(run => run.RequestsPerSecond));
            var (wrkP99Low, wrkP99High) = (wrkRuns.Min(run => run.P99), wrkRuns.Max(run => run.P99));
            var met = PerformanceGoals.PercentileHolds(wrkP50, p50) && PerformanceGoals.PercentileHolds(wrkP99, p99);
            yield return ($"| fixed rate {rate:0}/s (wrk: 1 connection, 10 ms delay, {wrkRuns.Count} runs around the generator's {_paced.Count}; both keep their connection) | " +
                $"p50 {Ms(wrkP50)}, p99 {Ms(wrkP99)} (its p99 from run to run: {Ms(wrkP99Low)}–{Ms(wrkP99High)}, {wrkP99Low / wrkP99:0.00}–{wrkP99High / wrkP99:0.00}×) | " +
                $"p50 {Ms(p50)}, p99 {Ms(p99)} | {p50 / wrkP50:0.00}×, {p99 / wrkP99:0.00}× | within 10 % | {(met ? "yes" : "**no**")} |", met);
            var (renewedP50, renewedP99) = (MedianOf(_paced.Select(run => run.Renewed.P50)), MedianOf(_paced.Select(run => run.Renewed.P99)));
            yield return ($"| the same rate, the generator renewing its connection every {ConstantRateLoad.SteadyConnectionLifetime.TotalSeconds:0.0} s as an experiment does (to reach both replicas) | " +
                $"as above | p50 {Ms(renewedP50)}, p99 {Ms(renewedP99)} | {renewedP50 / wrkP50:0.00}×, {renewedP99 / wrkP99:0.00}× | shown, not judged | – |", true);
        }
    }

    public string Render(DateTimeOffset sitting, string machine, string mode)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Performance, {sitting:yyyy-MM-dd HH:mm} UTC, {mode} mode; machine: {machine}; medians of {rounds} round(s), each side in turn{(smoke ? "; SMOKE RUN: tiny samples, not figures to quote" : "")}{(Complete ? "" : $"; PARTIAL: only {string.Join(", ", parts!)}")}.");
        if (_throughput.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"| measurement | direct | through the fault proxy | proxied / direct | proxy CPU per op | through {ReferenceName} (C, same path) | HAProxy / direct | goal | met |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var row in ThroughputRows())
            {
                text.AppendLine(row.Markdown);
            }
        }

        if (_faultRows.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| fault through cache-proxy (redis-benchmark, 1 connection) | set | measured | tolerance | met |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var row in _faultRows)
            {
                text.AppendLine(row);
            }
        }

        if (_saturation.Count + _paced.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("| load generator vs wrk, GET /tags/VT-000001 through Aspire's proxy to both replicas | wrk | load generator | generator / wrk | goal | met |");
            text.AppendLine("|---|---|---|---|---|---|");
            foreach (var row in LoadRows())
            {
                text.AppendLine(row.Markdown);
            }
        }

        return text.ToString();
    }

    private static string Ms(TimeSpan value) => $"{value.TotalMilliseconds:0.00} ms";

    private IEnumerable<(string Markdown, bool Met)> ThroughputRows() =>
        _throughput.GroupBy(entry => (entry.Name, entry.Proxy)).Select(group =>
        {
            var runs = group.ToList();
            var direct = Median(runs.Select(run => run.Direct.Rate));
            var proxied = Median(runs.Select(run => run.Proxied.Rate));
            var ratio = proxied / direct;
            var cpuPerOp = Median(runs.Select(run => ProxyCpuPerOperation(run.Direct, run.Proxied).TotalMicroseconds));
            var isDb = group.Key.Proxy == "db-proxy";
            var oneConnection = group.Key.Name.Contains("1 connection", StringComparison.Ordinal);
            var minRatio = isDb ? PerformanceGoals.MinDbRatio : PerformanceGoals.MinCacheRatio;
            var addedP50 = oneConnection ? Median(runs.Select(run => run.Proxied.P50Ms - run.Direct.P50Ms)) : double.NaN;
            var met = ratio >= minRatio && (!oneConnection || addedP50 <= PerformanceGoals.MaxAddedP50.TotalMilliseconds);
            string Rate(double value, IEnumerable<double> p50s) =>
                $"{value:#,0} {(isDb ? "tps" : "rps")}{(oneConnection ? $", p50 {Median(p50s) * 1000:0} µs" : "")}";
            var goal = $"≥ {minRatio:0.0}×{(oneConnection ? $", ≤ {PerformanceGoals.MaxAddedP50.TotalMicroseconds:0} µs added" : "")}";
            var references = runs.Where(run => run.Reference is not null).Select(run => run.Reference!.Value).ToList();
            var reference = references.Count == 0 ? "—" : Rate(Median(references.Select(run => run.Rate)), references.Select(run => run.P50Ms));
            var referenceRatio = references.Count == 0 ? "—" : $"{Median(references.Select(run => run.Rate)) / direct:0.00}×";
            return ($"| {group.Key.Name} ({group.Key.Proxy}) | {Rate(direct, runs.Select(run => run.Direct.P50Ms))} | " +
                $"{Rate(proxied, runs.Select(run => run.Proxied.P50Ms))}{(oneConnection ? $" (+{addedP50 * 1000:0} µs)" : "")} | " +
                $"**{ratio:0.00}×** | {cpuPerOp:0.0} µs | {reference} | {referenceRatio} | {goal} | {(met ? "yes" : "**no**")} |", met);
        });

    /// <summary>The AppHost's CPU during the proxied run less what it uses anyway (its rate during the direct run), per operation.</summary>
    private static TimeSpan ProxyCpuPerOperation(Run direct, Run proxied)
    {
        var background = direct.Wall > TimeSpan.Zero ? direct.AppHostCpu / direct.Wall : 0;
        var proxyCpu = proxied.AppHostCpu - proxied.Wall * background;
        return proxied.Operations > 0 ? proxyCpu / proxied.Operations : TimeSpan.Zero;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Row(string fault, string set, string measured, string tolerance, bool met) =>
        $"| {fault} | {set} | {measured} | {tolerance} | {(met ? "yes" : "**no**")} |";

    private static string Number(double value) => value.ToString("0.0##", CultureInfo.InvariantCulture);

    private sealed record Run(double Rate, double P50Ms, long Operations, TimeSpan Wall, TimeSpan AppHostCpu);
}
