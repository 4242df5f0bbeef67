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
    /// <summary>
    /// Resolves the experiments (names, or paths of files outside the catalog) and each one's options — the file's
    /// phases and load, overridden by this request's — or says exactly what is wrong (nothing is started then).
    /// </summary>
    public (IReadOnlyList<PlannedRun> Runs, IReadOnlyList<string> Problems) Resolve(ExperimentCatalog catalog)
    {
        var problems = new List<string>();
        var names = Experiments is { Count: > 0 } ? Experiments : [];
        if (names.Count == 0)
        {
            problems.Add($"experiments is empty; name one or more of: {catalog.KnownNames}, or 'all', or the path of an experiment file.");
        }

        var experiments = names.Contains("all")
            ? [.. catalog.All]
            : names.Select(name => Find(name, catalog, problems)).OfType<ChaosExperiment>().ToList();

        var runs = new List<PlannedRun>();
        foreach (var experiment in experiments)
        {
            var defaults = experiment.Defaults(new RunOptions());
            var options = defaults with
            {
                Baseline = Seconds(BaselineSeconds, "baselineSeconds", defaults.Baseline, problems),
                Impact = Seconds(ImpactSeconds, "impactSeconds", defaults.Impact, problems),
                Recovery = Seconds(RecoverySeconds, "recoverySeconds", defaults.Recovery, problems),
                SustainFor = Seconds(SustainSeconds, "sustainSeconds", defaults.SustainFor, problems),
                RatePerSecond = RatePerSecond ?? defaults.RatePerSecond,
                Thresholds = Thresholds ?? [],
            };
            problems.AddRange(options.Validate(experiment.CriterionNames).Select(problem => $"{experiment.Name}: {problem}"));
            problems.AddRange(experiment.ImpactLoad(options).Validate().Select(problem => $"{experiment.Name}: impact phase load: {problem}"));
            problems.AddRange(experiment.TimingProblems(options).Select(problem => $"{experiment.Name}: {problem}"));

            runs.Add(new PlannedRun(experiment, options));
        }

        return (runs, [.. problems.Distinct()]);
    }

    private static ChaosExperiment? Find(string name, ExperimentCatalog catalog, List<string> problems)
    {
        if (catalog.Find(name, out var fileProblems) is { } experiment)
        {
            return experiment;
        }

        problems.Add(fileProblems.Count > 0
            ? $"experiment '{name}' cannot run: {string.Join(" ", fileProblems)}"
            : $"experiment '{name}' is unknown; known: {catalog.KnownNames}, or 'all', or the path of an experiment file (.yaml, .yml, .json).");
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

/// <summary>One experiment of a request, with the options it runs with.</summary>
public sealed record PlannedRun(ChaosExperiment Experiment, RunOptions Options);
