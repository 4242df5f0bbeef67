using System.Globalization;
using VokeTag.ChaosWorker.Definitions;
using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// The body of <c>POST /gamedays</c>: the scenario pool (experiment names, or <c>all</c>), how many rounds, whether the
/// scenario is hidden, each round's time limit, and optionally a seed (the same draws again) and shorter phases.
/// </summary>
public sealed record GameDayRequest(
    IReadOnlyList<string>? Scenarios,
    int? Rounds = null,
    bool Hidden = true,
    double? RoundLimitSeconds = null,
    int? Seed = null,
    double? BaselineSeconds = null,
    double? RecoverySeconds = null,
    double? SustainSeconds = null)
{
    public const int MaxRounds = 10;
    public static readonly TimeSpan DefaultRoundLimit = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan MinRoundLimit = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxRoundLimit = TimeSpan.FromSeconds(1800);

    /// <summary>The game day to play, or every problem naming the field and what it allows (then nothing starts).</summary>
    public (GameDayPlan? Plan, IReadOnlyList<string> Problems) Resolve(ExperimentCatalog catalog)
    {
        var problems = new List<string>();
        var playable = catalog.All.OfType<FileExperiment>().OrderBy(experiment => experiment.Name).ToList();
        var allowed = $"allowed: {string.Join(", ", playable.Select(experiment => experiment.Name))}, or 'all'";
        var pool = new List<FileExperiment>();
        if (Scenarios is not { Count: > 0 })
        {
            problems.Add($"scenarios is empty; {allowed}.");
        }
        else if (Scenarios.Contains("all"))
        {
            pool.AddRange(playable);
        }
        else
        {
            foreach (var name in Scenarios.Distinct())
            {
                switch (catalog.All.FirstOrDefault(experiment => experiment.Name == name))
                {
                    case FileExperiment experiment:
                        pool.Add(experiment);
                        break;
                    case Toolkit.ToolkitFileExperiment:
                        problems.Add($"scenarios: '{name}' is a Chaos Toolkit file; a game day plays the lab's own experiment files, {allowed}.");
                        break;
                    default:
                        problems.Add($"scenarios: '{name}' is not an experiment; {allowed}.");
                        break;
                }
            }
        }

        var rounds = Rounds ?? 1;
        if (rounds is < 1 or > MaxRounds)
        {
            problems.Add($"rounds is {rounds}; allowed 1 to {MaxRounds}.");
        }

        var limit = Seconds(RoundLimitSeconds, "roundLimitSeconds", DefaultRoundLimit, MinRoundLimit, MaxRoundLimit, problems);
        var options = pool.ToDictionary(experiment => experiment.Name, experiment => OptionsFor(experiment, limit, problems));
        if (problems.Count > 0)
        {
            return (null, [.. problems.Distinct()]);
        }

        var random = Seed is { } seed ? new Random(seed) : new Random();
        var draws = Enumerable.Range(1, rounds).Select(_ => pool[random.Next(pool.Count)]).ToList(); // with replacement
        return (new GameDayPlan([.. pool.Select(experiment => experiment.Name)], draws.Select(draw => new PlannedRound(draw, options[draw.Name])).ToList(), Hidden, limit, Seed), []);
    }

    /// <summary>The scenario's own phases and load; the impact phase is the round's limit, ended early by the team.</summary>
    private RunOptions OptionsFor(FileExperiment experiment, TimeSpan limit, List<string> problems)
    {
        var defaults = experiment.Defaults(new RunOptions());
        var options = defaults with
        {
            Baseline = Seconds(BaselineSeconds, "baselineSeconds", defaults.Baseline, RunOptions.MinPhase, RunOptions.MaxPhase, problems),
            Recovery = Seconds(RecoverySeconds, "recoverySeconds", defaults.Recovery, RunOptions.MinPhase, RunOptions.MaxPhase, problems),
            SustainFor = Seconds(SustainSeconds, "sustainSeconds", defaults.SustainFor, TimeSpan.FromSeconds(0.1), RunOptions.MaxPhase, problems),
            Impact = limit,
        };

        // The phase checks, except the impact phase's upper bound: a round may last longer than an ordinary run's impact.
        problems.AddRange(options.Validate(experiment.CriterionNames).Where(problem => !problem.StartsWith("impact ", StringComparison.Ordinal))
            .Select(problem => $"{experiment.Name}: {problem}"));
        problems.AddRange(experiment.TimingProblems(options).Select(problem => $"{experiment.Name}: {problem} (roundLimitSeconds sets the impact phase)"));
        return options;
    }

    private static TimeSpan Seconds(double? value, string field, TimeSpan defaultValue, TimeSpan min, TimeSpan max, List<string> problems)
    {
        if (value is null)
        {
            return defaultValue;
        }

        // Checked before TimeSpan sees it: FromSeconds(1e308) throws instead of answering.
        if (!double.IsFinite(value.Value) || value.Value < min.TotalSeconds || value.Value > max.TotalSeconds)
        {
            problems.Add($"{field} is {value.Value.ToString(CultureInfo.InvariantCulture)}; allowed {min.TotalSeconds.ToString(CultureInfo.InvariantCulture)} to {max.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds.");
            return defaultValue;
        }

        return TimeSpan.FromSeconds(value.Value);
    }
}

/// <summary>A game day as accepted: the pool, the drawn scenario of each round with its options, and the settings.</summary>
public sealed record GameDayPlan(IReadOnlyList<string> Pool, IReadOnlyList<PlannedRound> Rounds, bool Hidden, TimeSpan RoundLimit, int? Seed);

/// <summary>One round's scenario and the options it runs with.</summary>
public sealed record PlannedRound(FileExperiment Scenario, RunOptions Options);
