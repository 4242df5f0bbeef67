namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// The body of <c>POST /runs</c>: which experiments (names, or <c>all</c>) and optional overrides of the defaults.
/// </summary>
public sealed record RunRequest(
    IReadOnlyList<string>? Experiments,
    double? BaselineSeconds = null,
    double? ImpactSeconds = null,
    double? RecoverySeconds = null,
    double? RatePerSecond = null,
    double? SustainSeconds = null,
    Dictionary<string, double>? Thresholds = null,
    bool DryRun = false)
{
    /// <summary>Resolves the experiments and options, or says exactly what is wrong (nothing is started then).</summary>
    public (IReadOnlyList<ChaosExperiment> Experiments, RunOptions Options, IReadOnlyList<string> Problems) Resolve(ExperimentCatalog catalog)
    {
        var problems = new List<string>();
        var names = Experiments is { Count: > 0 } ? Experiments : [];
        if (names.Count == 0)
        {
            problems.Add($"experiments is empty; name one or more of: {catalog.KnownNames}, or 'all'.");
        }

        var experiments = names.Contains("all")
            ? [.. catalog.All]
            : names.Select(name => catalog.Find(name) ?? Unknown(name, catalog, problems)).OfType<ChaosExperiment>().ToList();

        var defaults = new RunOptions();
        var options = defaults with
        {
            Baseline = Seconds(BaselineSeconds, "baselineSeconds", defaults.Baseline, problems),
            Impact = Seconds(ImpactSeconds, "impactSeconds", defaults.Impact, problems),
            Recovery = Seconds(RecoverySeconds, "recoverySeconds", defaults.Recovery, problems),
            SustainFor = Seconds(SustainSeconds, "sustainSeconds", defaults.SustainFor, problems),
            RatePerSecond = RatePerSecond ?? defaults.RatePerSecond,
            Thresholds = Thresholds ?? [],
        };

        foreach (var experiment in experiments)
        {
            problems.AddRange(options.Validate(experiment.CriterionNames).Select(problem => $"{experiment.Name}: {problem}"));
        }

        return (experiments, options, [.. problems.Distinct()]);
    }

    private static ChaosExperiment? Unknown(string name, ExperimentCatalog catalog, List<string> problems)
    {
        problems.Add($"experiment '{name}' is unknown; known: {catalog.KnownNames}, or 'all'.");
        return null;
    }

    private static TimeSpan Seconds(double? value, string field, TimeSpan defaultValue, List<string> problems)
    {
        if (value is null)
        {
            return defaultValue;
        }

        // Checked before TimeSpan sees it: FromSeconds(1e308) throws instead of answering.
        if (!double.IsFinite(value.Value) || value.Value <= 0 || value.Value > RunOptions.MaxPhase.TotalSeconds)
        {
            problems.Add($"{field} is {value}; allowed a number of seconds above 0 up to {RunOptions.MaxPhase.TotalSeconds}.");
            return defaultValue;
        }

        return TimeSpan.FromSeconds(value.Value);
    }
}
