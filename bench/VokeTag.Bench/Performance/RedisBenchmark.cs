using System.Globalization;

namespace VokeTag.Bench.Performance;

/// <summary>One redis-benchmark result: requests per second and latency in milliseconds, as its CSV gives them.</summary>
public sealed record RedisBenchmarkResult(string Test, double RequestsPerSecond, double MinMs, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>Parses <c>redis-benchmark --csv</c>: a header line, then one line per test.</summary>
    public static IReadOnlyList<RedisBenchmarkResult> ParseCsv(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var header = lines.FirstOrDefault(line => line.StartsWith("\"test\"", StringComparison.Ordinal))
            ?? throw new FormatException($"redis-benchmark printed no CSV header: {csv.Trim()}");
        var columns = Cells(header);
        int Column(string name) => Array.IndexOf(columns, name) is var index and >= 0 ? index : throw new FormatException($"redis-benchmark CSV has no {name} column.");
        var (rps, min, p50, p99, max) = (Column("rps"), Column("min_latency_ms"), Column("p50_latency_ms"), Column("p99_latency_ms"), Column("max_latency_ms"));
        return [.. lines.SkipWhile(line => line != header).Skip(1).Select(Cells).Where(cells => cells.Length == columns.Length)
            .Select(cells => new RedisBenchmarkResult(cells[0], Number(cells[rps]), Number(cells[min]), Number(cells[p50]), Number(cells[p99]), Number(cells[max])))];
    }

    /// <summary>Runs redis-benchmark against one address, loopback only, bounded by its request count.</summary>
    public static async Task<RedisBenchmarkResult> RunAsync(RedisAddress address, string tests, int clients, int requests, int pipeline = 1, int valueSize = 3)
    {
        var csv = await ExternalTool.RunAsync("redis-benchmark",
            ["-h", address.Host, "-p", address.Port.ToString(CultureInfo.InvariantCulture), "--user", "default", "-a", address.Password,
             "-t", tests, "-c", Text(clients), "-n", Text(requests), "-P", Text(pipeline), "-d", Text(valueSize), "--csv", "--precision", "3"],
            TimeSpan.FromMinutes(3));
        var results = ParseCsv(csv);
        return results.Count == 1 ? results[0] : Combined(results);
    }

    /// <summary>Several tests (GET and SET) as one: their rates add up per request mix, latencies are the worst.</summary>
    private static RedisBenchmarkResult Combined(IReadOnlyList<RedisBenchmarkResult> results) => new(
        string.Join('/', results.Select(result => result.Test)),
        results.Count / results.Sum(result => 1 / result.RequestsPerSecond),
        results.Min(result => result.MinMs), results.Max(result => result.P50Ms), results.Max(result => result.P99Ms), results.Max(result => result.MaxMs));

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string[] Cells(string line) => [.. line.Split(',').Select(cell => cell.Trim('"'))];

    private static double Number(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
}
