using System.Globalization;

namespace VokeTag.Bench.Stability;

/// <summary>
/// What one sitting of the stability benchmark runs: every chosen experiment <see cref="Runs"/> times in each mode
/// and variant, with short phases, appending one record per run to <see cref="ResultsFile"/>.
/// </summary>
public sealed record StabilityOptions
{
    /// <summary>
    /// The six original experiments, whose stability the table of record tracks; <c>--experiments</c> names any other
    /// file in experiments/ (all fourteen: about 2.3 times as long).
    /// </summary>
    public static readonly string[] BuiltInExperiments =
        ["redis-failure", "database-failure", "network-latency", "pod-failure", "high-cpu", "multi-failure"];

    public static readonly string[] KnownModes = ["process", "container"];

    public int Runs { get; init; } = 10;

    public IReadOnlyList<string> Modes { get; init; } = ["process"];

    public IReadOnlyList<LabVariant> Variants { get; init; } = [LabVariant.Reference, LabVariant.Weakened];

    public IReadOnlyList<string> Experiments { get; init; } = BuiltInExperiments;

    public double BaselineSeconds { get; init; } = 3;

    public double ImpactSeconds { get; init; } = 6;

    public double RecoverySeconds { get; init; } = 12;

    public double SustainSeconds { get; init; } = 2;

    /// <summary>Container mode: where images come from instead of docker.io (e.g. the stand-ins' localhost/voketag-lab).</summary>
    public string? ImageRegistry { get; init; }

    public string ResultsFile { get; init; } = Path.Combine("bench", "results", "stability.jsonl");

    /// <summary>stability-table only: the one sitting to show (its id, or <c>latest</c>); null shows every sitting.</summary>
    public string? Sitting { get; init; }

    public const string Usage = """
        stability [--runs N] [--modes process,container] [--variants reference,weakened] [--experiments a,b|all]
                  [--baseline S] [--impact S] [--recovery S] [--sustain S] [--image-registry R] [--results FILE]
          Runs each experiment N times (default 10) per mode and variant, appends every run to FILE
          (default bench/results/stability.jsonl) and prints the stability table of everything FILE holds.
          Defaults: --modes process, --variants reference,weakened, --experiments all, phases 3/6/12 s, sustain 2 s.
        stability-table [--results FILE] [--sitting ID|latest]
          Prints the stability table (Markdown) of the runs FILE holds, without running anything; with --sitting,
          of one sitting only (its id is the "sitting" of each record, e.g. 20261128-020927).
        """;

    /// <exception cref="BenchUsageException">An unknown option or a value out of range, named.</exception>
    public static StabilityOptions Parse(IReadOnlyList<string> arguments)
    {
        var options = new StabilityOptions();
        for (var index = 0; index < arguments.Count; index++)
        {
            var name = arguments[index];
            var value = index + 1 < arguments.Count ? arguments[++index] : throw new BenchUsageException($"{name} needs a value.");
            options = name switch
            {
                "--runs" => options with { Runs = (int)Number(name, value, 1, 100, whole: true) },
                "--modes" => options with { Modes = Choices(name, value, KnownModes) },
                "--variants" => options with { Variants = [.. Choices(name, value, LabVariant.Names).Select(LabVariant.Named)] },
                "--experiments" => options with { Experiments = value == "all" ? BuiltInExperiments : Names(name, value) },
                "--baseline" => options with { BaselineSeconds = Number(name, value, 1, 600) },
                "--impact" => options with { ImpactSeconds = Number(name, value, 1, 600) },
                "--recovery" => options with { RecoverySeconds = Number(name, value, 1, 600) },
                "--sustain" => options with { SustainSeconds = Number(name, value, 0.1, 600) },
                "--image-registry" => options with { ImageRegistry = value },
                "--results" => options with { ResultsFile = value },
                "--sitting" => options with { Sitting = value },
                _ => throw new BenchUsageException($"'{name}' is not an option of the stability benchmark."),
            };
        }

        return options.SustainSeconds > options.RecoverySeconds
            ? throw new BenchUsageException($"--sustain ({options.SustainSeconds} s) must not be longer than --recovery ({options.RecoverySeconds} s).")
            : options;
    }

    /// <summary>The AppHost settings of a headless run of every experiment, <see cref="Runs"/> times, interleaved.</summary>
    public IEnumerable<string> HeadlessSettings() =>
    [
        $"Chaos:Run={string.Join(',', Enumerable.Repeat(Experiments, Runs).SelectMany(names => names))}",
        Setting("Chaos:BaselineSeconds", BaselineSeconds),
        Setting("Chaos:ImpactSeconds", ImpactSeconds),
        Setting("Chaos:RecoverySeconds", RecoverySeconds),
        Setting("Chaos:SustainSeconds", SustainSeconds),
    ];

    /// <summary>Generous: every run's phases plus a minute for steady-state waits and rollback, plus the lab's start.</summary>
    public TimeSpan TimeLimitPerLab =>
        TimeSpan.FromMinutes(5) + Runs * Experiments.Count * TimeSpan.FromSeconds(BaselineSeconds + ImpactSeconds + RecoverySeconds + 60);

    private static string Setting(string key, double value) => $"{key}={value.ToString(CultureInfo.InvariantCulture)}";

    private static double Number(string name, string text, double min, double max, bool whole = false) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            && (!whole || value == Math.Floor(value))
            ? value
            : throw new BenchUsageException($"{name} is '{text}'; allowed: {(whole ? "a whole number" : "a number")} from {min} to {max}.");

    private static string[] Names(string name, string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } names
            ? names
            : throw new BenchUsageException($"{name} is empty.");

    private static string[] Choices(string name, string text, IReadOnlyCollection<string> allowed)
    {
        var names = Names(name, text);
        return names.FirstOrDefault(choice => !allowed.Contains(choice)) is { } unknown
            ? throw new BenchUsageException($"{name}: '{unknown}' is not one of {string.Join(", ", allowed)}.")
            : names;
    }
}
