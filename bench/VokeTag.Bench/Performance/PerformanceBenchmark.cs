using System.Diagnostics;
using System.Globalization;
using VokeTag.Bench.Stability;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.Bench.Performance;

/// <summary>
/// The performance benchmark: one lab, and each measurement taken directly against the server and through its fault
/// proxy in turn, in the same sitting, so that the ratios compare like with like on a shared machine.
/// </summary>
public sealed class PerformanceBenchmark(PerformanceOptions options, string repository, TextWriter console)
{
    private const string CacheProxy = "cache-proxy";
    private const string DbProxy = "db-proxy";

    public async Task<int> RunAsync()
    {
        foreach (var (tool, package) in new[] { ("redis-benchmark", "redis-tools"), ("pgbench", "postgresql-client"), ("psql", "postgresql-client") })
        {
            if (ExternalTool.Find(tool) is null)
            {
                throw new BenchUsageException($"{tool} is not on PATH; install the Debian package {package} (bench/run.sh does).");
            }
        }

        var sitting = DateTimeOffset.UtcNow;
        var logFile = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.ResultsFile, repository))!, "logs", $"performance-{sitting:yyyyMMdd-HHmmss}.log");
        await using var lab = await RunningLab.StartAsync(repository, LabSettings(), logFile, console);
        await using var faults = await ProxyFaultLease.OpenAsync(lab.Control);
        var table = new PerformanceTable(options.Rounds, options.Smoke, options.Parts);

        if (options.Runs("throughput"))
        {
            console.WriteLine("performance: pgbench tables in a database of their own…");
            await PgBench.InitializeAsync(lab.Connections.Db);
            await MeasureThroughputAsync(lab, table);
        }

        if (options.Runs("faults"))
        {
            await MeasureFaultAccuracyAsync(lab.Connections.CacheProxy, faults, table);
        }

        if (options.Runs("load"))
        {
            await MeasureLoadGeneratorAsync(lab.Connections.Api, table);
        }

        var markdown = table.Render(sitting, Machine.Describe(), options.Mode);
        console.WriteLine();
        console.Write(markdown);
        var resultsFile = Path.GetFullPath(options.ResultsFile, repository);
        await File.WriteAllTextAsync(resultsFile, markdown);
        console.WriteLine($"performance: written to {resultsFile}.");
        return table.AllGoalsMet ? 0 : 1;
    }

    private IEnumerable<string> LabSettings() =>
        [$"Lab:Runtime={options.Mode}", .. options.Mode == "container" && options.ImageRegistry is { } registry ? [$"Lab:ImageRegistry={registry}"] : Array.Empty<string>()];

    /// <summary>
    /// Each comparison <see cref="PerformanceOptions.Rounds"/> times: direct, through the fault proxy, through HAProxy
    /// (<see cref="ReferenceProxy"/>), then the next round.
    /// </summary>
    private async Task MeasureThroughputAsync(RunningLab lab, PerformanceTable table)
    {
        var (cache, cacheProxy) = (lab.Connections.Cache, lab.Connections.CacheProxy);
        var (db, dbProxy) = (lab.Connections.Db, lab.Connections.DbProxy);
        await using var reference = await ReferenceProxy.StartAsync(cache, db);
        table.ReferenceName = reference.Version;
        RedisAddress Redis(Route route) => route switch { Route.Direct => cache, Route.FaultProxy => cacheProxy, _ => reference.Cache };
        PostgresAddress Postgres(Route route) => route switch { Route.Direct => db, Route.FaultProxy => dbProxy, _ => reference.Db };

        var pgbenchSeconds = options.Smoke ? 1 : 10;
        (string Name, Func<Route, Task<(double Rate, double P50Ms, long Operations)>> Run)[] comparisons =
        [
            ("GET, 1 connection", route => RedisAsync(Redis(route), "get", clients: 1, options.Scaled(20_000))),
            ("GET, 50 connections", route => RedisAsync(Redis(route), "get", clients: 50, options.Scaled(200_000))),
            ("GET/SET, 50 connections, pipeline 16", route => RedisAsync(Redis(route), "get,set", clients: 50, options.Scaled(1_000_000), pipeline: 16)),
            ("pgbench -S, 8 clients", async route =>
            {
                var seconds = pgbenchSeconds;
                var tps = await PgBench.SelectOnlyAsync(Postgres(route), clients: 8, threads: 2, seconds);
                return (tps, double.NaN, (long)(tps * seconds));
            }),
        ];

        foreach (var (name, run) in comparisons)
        {
            for (var round = 1; round <= options.Rounds; round++)
            {
                console.WriteLine($"performance: {name}, round {round}/{options.Rounds}…");
                await SettleAsync();
                var direct = await TimedAsync(lab, () => run(Route.Direct));
                await SettleAsync();
                var proxied = await TimedAsync(lab, () => run(Route.FaultProxy));
                await SettleAsync();
                var (referenceRate, referenceP50, _) = await run(Route.Reference);
                table.AddThroughput(name, name.StartsWith("pgbench", StringComparison.Ordinal) ? DbProxy : CacheProxy, direct, proxied, (referenceRate, referenceP50));
            }
        }
    }

    private async Task MeasureFaultAccuracyAsync(RedisAddress cacheProxy, ProxyFaultLease faults, PerformanceTable table)
    {
        console.WriteLine("performance: injected latency, jitter and bandwidth through cache-proxy…");
        var passThrough = await RedisAsync(cacheProxy, "get", clients: 1, options.Scaled(2_000));
        foreach (var (latencyMs, direction) in new[] { (10, "upstream"), (100, "upstream"), (1000, "upstream"), (100, "both") })
        {
            await faults.ApplyAsync(CacheProxy, "latency", direction, latencyMs);
            var requests = Math.Max(5, options.Scaled(Math.Clamp(5_000 / latencyMs, 8, 200)));
            var delayed = await RedisResultAsync(cacheProxy, "get", 1, requests);
            await faults.ClearAsync(CacheProxy);
            table.AddLatency(latencyMs, direction, delayed.P50Ms - passThrough.P50Ms, requests);
        }

        const int Latency = 100, Jitter = 50;
        await faults.ApplyAsync(CacheProxy, "latency", "upstream", Latency, Jitter);
        var jittered = await RedisResultAsync(cacheProxy, "get", 1, options.Smoke ? 10 : 100);
        await faults.ClearAsync(CacheProxy);
        table.AddJitter(Latency, Jitter, jittered.MinMs - passThrough.P50Ms, jittered.P50Ms - passThrough.P50Ms, jittered.MaxMs - passThrough.P50Ms);

        const int ValueSize = 500_000, Limit = 1_000_000;
        await RedisResultAsync(cacheProxy, "set", 1, 1, valueSize: ValueSize); // the value every GET below fetches
        await faults.ApplyAsync(CacheProxy, "bandwidth", "downstream", bytesPerSecond: Limit);
        var limited = await RedisResultAsync(cacheProxy, "get", 1, options.Smoke ? 2 : 8, valueSize: ValueSize);
        await faults.ClearAsync(CacheProxy);
        table.AddBandwidth(Limit, limited.RequestsPerSecond * ValueSize);
    }

    /// <summary>
    /// The worker's load generator against wrk on one endpoint: at saturation (wrk with 50 connections; the generator
    /// asked for half as much again, capped at its limit) and at wrk's paced rate (one connection, 10 ms between answers;
    /// wrk before and after the generator, so the table can show how far wrk moves against itself; the generator once
    /// keeping its connection as wrk does, once renewing it every 0.5 s as an experiment does),
    /// <see cref="PerformanceOptions.Rounds"/> times, each side in turn; the table shows medians.
    /// </summary>
    private async Task MeasureLoadGeneratorAsync(Uri api, PerformanceTable table)
    {
        if (ExternalTool.Find("wrk") is null)
        {
            throw new BenchUsageException("wrk is not on PATH; install the Debian package wrk (bench/run.sh does).");
        }

        if (Environment.GetEnvironmentVariable("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS") != "1")
        {
            console.WriteLine("performance: note: DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is not 1 here, as it is in the worker " +
                "(bench/VokeTag.Bench/Properties/launchSettings.json sets it): the generator's latencies will read high.");
        }

        var url = new Uri(api, LoadGeneratorComparison.Path);
        var seconds = options.Smoke ? 2 : 10;
        // A p99 at under 100 requests a second needs time: 10 s gave it 9 samples above it, and wrk's own p99 moved by
        // half between two such runs. 30 s gives about 26, and wrk runs on both sides of the generator.
        var pacedSeconds = options.Smoke ? 2 : 30;
        for (var round = 1; round <= options.Rounds; round++)
        {
            console.WriteLine($"performance: the load generator against wrk, at saturation, round {round}/{options.Rounds}…");
            await SettleAsync();
            var wrkSaturated = await Wrk.RunAsync(url, threads: 2, connections: 50, seconds);
            var asked = Math.Min(LoadProfile.MaxRatePerSecond, 1.5 * wrkSaturated.RequestsPerSecond);
            await SettleAsync();
            var generatorSaturated = await LoadGeneratorComparison.RunAsync(api, asked, seconds);
            table.AddLoadSaturation(wrkSaturated, generatorSaturated, asked);

            console.WriteLine($"performance: the load generator against wrk, at a fixed low rate, round {round}/{options.Rounds}…");
            await SettleAsync();
            var wrkBefore = await Wrk.RunAsync(url, threads: 1, connections: 1, pacedSeconds, delayMs: 10);
            await SettleAsync();
            var generatorKept = await LoadGeneratorComparison.RunAsync(api, wrkBefore.RequestsPerSecond, pacedSeconds, keepConnections: true);
            await SettleAsync();
            var generatorRenewed = await LoadGeneratorComparison.RunAsync(api, wrkBefore.RequestsPerSecond, pacedSeconds);
            await SettleAsync();
            var wrkAfter = await Wrk.RunAsync(url, threads: 1, connections: 1, pacedSeconds, delayMs: 10);
            table.AddLoadPaced(wrkBefore, generatorKept, generatorRenewed, wrkAfter);
        }
    }

    /// <summary>Lets the lab digest the last measurement (see <see cref="MachineSettling"/>); says so when it would not.</summary>
    private async Task SettleAsync()
    {
        var limit = TimeSpan.FromSeconds(options.Smoke ? 2 : 30);
        var busy = await MachineSettling.WaitAsync(limit);
        if (busy > MachineSettling.QuietBusyShare)
        {
            console.WriteLine($"performance: the machine is still {busy:P0} busy after {limit.TotalSeconds:0} s; measuring anyway.");
        }
    }

    private static async Task<(double Rate, double P50Ms, long Operations, TimeSpan Wall, TimeSpan AppHostCpu)> TimedAsync(
        RunningLab lab, Func<Task<(double Rate, double P50Ms, long Operations)>> run)
    {
        var cpu = lab.AppHostCpu;
        var clock = Stopwatch.StartNew();
        var (rate, p50, operations) = await run();
        return (rate, p50, operations, clock.Elapsed, lab.AppHostCpu - cpu);
    }

    private static async Task<(double Rate, double P50Ms, long Operations)> RedisAsync(RedisAddress address, string tests, int clients, int requests, int pipeline = 1)
    {
        var result = await RedisBenchmarkResult.RunAsync(address, tests, clients, requests, pipeline);
        return (result.RequestsPerSecond, result.P50Ms, (long)requests * tests.Split(',').Length);
    }

    private static Task<RedisBenchmarkResult> RedisResultAsync(RedisAddress address, string tests, int clients, int requests, int valueSize = 3) =>
        RedisBenchmarkResult.RunAsync(address, tests, clients, requests, valueSize: valueSize);

    /// <summary>The way to the server a measurement takes.</summary>
    private enum Route
    {
        Direct,
        FaultProxy,
        Reference,
    }

    private static string Text(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
