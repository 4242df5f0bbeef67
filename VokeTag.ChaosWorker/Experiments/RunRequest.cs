using VokeTag.ChaosWorker.Toolkit;

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
    bool DryRun = false,
    Dictionary<string, System.Text.Json.JsonElement>? Variables = null,
    IReadOnlyList<string>? AllowHosts = null,
    string? ProcessToken = null)
{
    /// <summary>
    /// Resolves the experiments (names, or paths of files outside the catalog) and each one's options — the file's
    /// phases and load, overridden by this request's — or says exactly what is wrong (nothing is started then).
    /// </summary>
    /// <param name="toolkit">Plans Chaos Toolkit files: hosts outside the lab and commands not allowed are problems.</param>
    /// <param name="processToken">The worker's <c>Chaos:ProcessToken</c>: set only when the lab was started from the command
    /// line with <c>Chaos:AllowProcess=true</c>; a request carrying it may run commands (process providers).</param>
    public (IReadOnlyList<PlannedRun> Runs, IReadOnlyList<string> Problems) Resolve(ExperimentCatalog catalog, ToolkitRunner? toolkit = null, string? processToken = null)
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
                Toolkit = new ToolkitRunSettings(
                    (Variables ?? []).ToDictionary(pair => pair.Key, pair => System.Text.Json.Nodes.JsonNode.Parse(pair.Value.GetRawText())),
                    AllowHosts ?? [],
                    ProcessAllowed: processToken is { Length: > 0 } && ProcessToken == processToken),
            };
            if (experiment is ToolkitFileExperiment toolkitFile && toolkit is not null)
            {
                problems.AddRange(toolkit.Plan(toolkitFile.Toolkit, options.Toolkit, DryRun).Problems);
            }
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
