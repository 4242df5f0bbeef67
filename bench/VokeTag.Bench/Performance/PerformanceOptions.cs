namespace VokeTag.Bench.Performance;

/// <summary>What one performance sitting measures, and how long: full (the README's table) or smoke (it works).</summary>
public sealed record PerformanceOptions
{
    public string Mode { get; init; } = "process";

    public string? ImageRegistry { get; init; }

    /// <summary>
    /// Each throughput and load-generator comparison runs this many times, the two sides in turn; the table shows medians.
    /// </summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Tiny runs that prove every part works (for CI), not figures to quote.</summary>
    public bool Smoke { get; init; }

    /// <summary>
    /// Where the table goes: <c>--results</c>, else <c>bench/results/performance.md</c> for a full sitting (the one the
    /// README quotes) and <c>performance-partial.md</c> beside it for a smoke or partial one, which must not replace it.
    /// </summary>
    public string ResultsFile =>
        ResultsFileSetting ?? Path.Combine("bench", "results", Smoke || Parts.Count < AllParts.Count ? "performance-partial.md" : "performance.md");

    public string? ResultsFileSetting { get; init; }

    /// <summary>The parts of the sitting to run; all by default (the README's table needs all three).</summary>
    public IReadOnlySet<string> Parts { get; init; } = AllParts;

    public static readonly IReadOnlySet<string> AllParts = new SortedSet<string>(["throughput", "faults", "load"]);

    public bool Runs(string part) => Parts.Contains(part);

    public const string Usage = """
        performance [--mode process|container] [--image-registry R] [--rounds N] [--smoke] [--results FILE]
                    [--parts throughput,faults,load]
          Starts the lab and measures, side by side: redis-benchmark direct vs through cache-proxy (GET at 1 and 50
          connections, GET/SET pipelined 16), pgbench -S direct vs through db-proxy, the proxy's CPU per operation,
          and how exactly injected latency, jitter and bandwidth limits hold. Prints one Markdown table and writes it
          to FILE (default bench/results/performance.md; performance-partial.md for --smoke or --parts). Needs redis-benchmark, pgbench and psql (bench/run.sh
          installs them). --rounds (1-10, default 3): medians of N; --smoke: a few hundred requests each; --parts:
          only these parts (default all three; a partial sitting meets no goal it did not measure).
        """;

    /// <exception cref="BenchUsageException">An unknown option or a value out of range, named.</exception>
    public static PerformanceOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = new PerformanceOptions();
        for (var index = 0; index < arguments.Count; index++)
        {
            var name = arguments[index];
            if (name == "--smoke")
            {
                options = options with { Smoke = true };
                continue;
            }

            var value = index + 1 < arguments.Count ? arguments[++index] : throw new BenchUsageException($"{name} needs a value.");
            options = name switch
            {
                "--mode" => options with
                {
                    Mode = value is "process" or "container" ? value : throw new BenchUsageException($"--mode: '{value}' is not one of process, container."),
                },
                "--image-registry" => options with { ImageRegistry = value },
                "--rounds" => options with
                {
                    Rounds = int.TryParse(value, out var rounds) && rounds is >= 1 and <= 10
                        ? rounds
                        : throw new BenchUsageException($"--rounds is '{value}'; allowed: a whole number from 1 to 10."),
                },
                "--results" => options with { ResultsFileSetting = value },
                "--parts" => options with { Parts = ParseParts(value) },
                _ => throw new BenchUsageException($"'{name}' is not an option of the performance benchmark."),
            };
        }

        return options;
    }

    private static IReadOnlySet<string> ParseParts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = parts.Where(part => !AllParts.Contains(part)).ToList();
        if (parts.Length == 0 || unknown.Count > 0)
        {
            throw new BenchUsageException($"--parts is '{value}'; allowed: a comma-separated list of {string.Join(", ", AllParts)}.");
        }

        return new SortedSet<string>(parts);
    }

    /// <summary>Requests per redis-benchmark run (or seconds of pgbench) for a full sitting, or a smoke one.</summary>
    public int Scaled(int full) => Smoke ? Math.Max(1, full / 50) : full;
}
