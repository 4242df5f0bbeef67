using System.Globalization;
using System.Text.RegularExpressions;

namespace VokeTag.Bench.Performance;

/// <summary>pgbench against the lab's PostgreSQL, in a database of its own so the lab's data is never touched.</summary>
public static partial class PgBench
{
    public const string Database = "voketag_pgbench";

    /// <summary>Creates the database (if missing) and pgbench's tables at scale 1, directly on the server.</summary>
    public static async Task InitializeAsync(PostgresAddress server)
    {
        var exists = await ExternalTool.RunAsync("psql",
            [.. Connection(server, "postgres"), "-tAc", $"SELECT 1 FROM pg_database WHERE datname = '{Database}'"], TimeSpan.FromMinutes(1), Password(server));
        if (exists.Trim() != "1")
        {
            await ExternalTool.RunAsync("psql", [.. Connection(server, "postgres"), "-c", $"CREATE DATABASE {Database}"], TimeSpan.FromMinutes(1), Password(server));
        }

        await ExternalTool.RunAsync("pgbench", [.. Connection(server, Database), "-i", "-s", "1", "-q"], TimeSpan.FromMinutes(3), Password(server));
    }

    /// <summary>Select-only transactions per second (<c>pgbench -S</c>), bounded by <paramref name="seconds"/>.</summary>
    public static async Task<double> SelectOnlyAsync(PostgresAddress address, int clients, int threads, int seconds)
    {
        var output = await ExternalTool.RunAsync("pgbench",
            [.. Connection(address, Database), "-S", "-n", "-c", Text(clients), "-j", Text(threads), "-T", Text(seconds)],
            TimeSpan.FromSeconds(seconds + 60), Password(address));
        return ParseTps(output);
    }

    /// <summary>The "tps = N (without initial connection time)" line of pgbench's report.</summary>
    public static double ParseTps(string output) =>
        TpsLine().Match(output) is { Success: true } match
            ? double.Parse(match.Groups["tps"].Value, CultureInfo.InvariantCulture)
            : throw new FormatException($"pgbench printed no tps line: {output.Trim()}");

    private static string[] Connection(PostgresAddress address, string database) =>
        ["-h", address.Host, "-p", Text(address.Port), "-U", address.Username, "-d", database];

    private static Dictionary<string, string> Password(PostgresAddress address) => new() { ["PGPASSWORD"] = address.Password };

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tps = (?<tps>[0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();
}
