using System.Globalization;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Per-run settings, all with defaults: phase lengths, load rate, the steady state used to time recovery, and
/// threshold overrides by criterion name (e.g. <c>error-rate</c> = 0.05).
/// </summary>
public sealed record RunOptions
{
    public static readonly TimeSpan MinPhase = Limits.MinPhase;
    public static readonly TimeSpan MaxPhase = Limits.MaxPhase;

    /// <summary>
    /// Load before the baseline that no figure counts: JIT, connection pools and the cache warm up. Short, because the
    /// steady-state check after it waits as long as the lab needs.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan Baseline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Impact { get; init; } = Limits.DefaultImpact;

    /// <summary>The recovery phase's limit: it ends earlier once every recovery criterion can be decided.</summary>
    public TimeSpan Recovery { get; init; } = Limits.DefaultRecovery;

    public double RatePerSecond { get; init; } = Limits.DefaultRatePerSecond;

    /// <summary>The shares of verifications, history reads and scans, in percent.</summary>
    public RequestMix Mix { get; init; } = new(70, 20, 10);

    /// <summary>How many seeded tags the load cycles through (VT-000001 upwards).</summary>
    public int TagWorkingSet { get; init; } = 500;

    /// <summary>Steady state, for recovery time: every answer in time and not an error (design doc: P95 &lt; 500 ms).</summary>
    public TimeSpan SteadyLatencyLimit { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long the steady state must hold before the system counts as recovered.</summary>
    public TimeSpan SustainFor { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>A Chaos Toolkit file's run: command-line configuration, hosts it may call, whether it may run commands.</summary>
    public Toolkit.ToolkitRunSettings Toolkit { get; init; } = VokeTag.ChaosWorker.Toolkit.ToolkitRunSettings.None;

    public IReadOnlyDictionary<string, double> Thresholds { get; init; } = new Dictionary<string, double>();

    /// <summary>
    /// A game day round: its impact phase lasts until a correct mitigation, until every fault healed by itself, or until
    /// <see cref="Impact"/> (the round's limit); null for an ordinary run.
    /// </summary>
    public GameDays.RoundControl? Round { get; init; }

    /// <summary>What logs and spans call the run: the experiment's name, or the run id of a hidden round.</summary>
    public string LabelFor(ChaosExperiment experiment, string runId) => Round is { Hidden: true } ? runId : experiment.Name;

    /// <summary>A text to log, with the experiment's name replaced by the run id when the round is hidden.</summary>
    public string Masked(string text, ChaosExperiment experiment, string runId) =>
        Round is { Hidden: true } ? text.Replace(experiment.Name, runId, StringComparison.OrdinalIgnoreCase) : text;

    /// <summary>The span that asked for the run (e.g. <c>POST /runs</c>): the run's own trace links to it.</summary>
    public System.Diagnostics.ActivityContext Trigger { get; init; }

    public LoadProfile Load => new()
    {
        RatePerSecond = RatePerSecond,
        VerifyPercent = Mix.Verify,
        HistoryPercent = Mix.History,
        ScanPercent = Mix.Scan,
        TagWorkingSet = TagWorkingSet,
    };

    public double Threshold(string criterion, double defaultValue) =>
        Thresholds.TryGetValue(criterion, out var value) ? value : defaultValue;

    /// <summary>Every problem, naming the field and the allowed values; unknown threshold names included.</summary>
    public IEnumerable<string> Validate(IReadOnlyCollection<string> knownCriteria)
    {
        foreach (var (name, value) in new[] { ("baseline", Baseline), ("impact", Impact), ("recovery", Recovery) })
        {
            if (value < MinPhase || value > MaxPhase)
            {
                yield return $"{name} is {value.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; allowed {MinPhase.TotalSeconds} to {MaxPhase.TotalSeconds} s.";
            }
        }

        if (SustainFor <= TimeSpan.Zero || SustainFor > Recovery)
        {
            yield return $"sustainFor is {SustainFor.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s; allowed above 0 up to the recovery phase ({Recovery.TotalSeconds} s).";
        }

        foreach (var problem in Load.Validate())
        {
            yield return problem;
        }

        foreach (var (name, value) in Thresholds)
        {
            if (!knownCriteria.Contains(name))
            {
                yield return $"threshold '{name}' is not a criterion of this experiment; known: {string.Join(", ", knownCriteria)}.";
            }
            else if (!double.IsFinite(value) || value < 0)
            {
                yield return $"threshold '{name}' is {value}; allowed a finite number of 0 or more.";
            }
        }
    }
}

/// <summary>The shares of each request kind in the load, in percent; they add up to 100.</summary>
public sealed record RequestMix(int Verify, int History, int Scan);
