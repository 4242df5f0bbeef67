
namespace VokeTag.Experiments;

/// <summary>
/// An experiment as its file states it (<c>experiments/*.yaml</c> or <c>*.json</c>, schema
/// <c>experiments/experiment.schema.json</c>): what a reader needs to understand it and what the worker needs to run it.
/// Read by <see cref="ExperimentFileReader"/>; the worker runs it.
/// </summary>
public sealed record ExperimentDefinition(
    string Name,
    string Title,
    string Description,
    string Hypothesis,
    LearningNotes Learning,
    LoadDefinition Load,
    PhaseDefinition Phases,
    IReadOnlyList<FaultDefinition> Faults,
    SteadyStateDefinition SteadyState,
    IReadOnlyList<CriterionDefinition> Criteria,
    IReadOnlyList<GuardrailDefinition> Guardrails,
    string Source);

/// <summary>What to look at in the dashboard while it runs (traces, metrics, logs, resources) and what the result teaches.</summary>
public sealed record LearningNotes(IReadOnlyList<WatchNote> Watch, string Teaches);

/// <param name="Where">traces, metrics, logs or resources: the dashboard page to open.</param>
public sealed record WatchNote(string Where, string What);

/// <summary>
/// The traffic: requests per second, the mix of request kinds and how many seeded tags they cycle through (a small
/// set is all in the cache after the warm-up); null fields keep the lab's defaults.
/// </summary>
public sealed record LoadDefinition(double? RatePerSecond, int? VerifyPercent, int? HistoryPercent, int? ScanPercent, int? Tags = null);

/// <summary>Phase lengths; null fields keep the lab's defaults. A run's own settings override both.</summary>
public sealed record PhaseDefinition(TimeSpan? Baseline, TimeSpan? Impact, TimeSpan? Recovery, TimeSpan? Sustain);

/// <summary>
/// One fault: its kind (<see cref="FaultKinds"/>), the lab resource it acts on, its parameters, when it is injected
/// (between baseline and impact, <paramref name="At"/> null, or that long into the impact phase) and how long it lasts
/// (<paramref name="For"/>; null: until the impact phase ends). A spike's
/// <paramref name="Factor"/> multiplies the rate and its <paramref name="Load"/> may give the impact phase another mix;
/// a redeploy's <paramref name="Setting"/> names what it breaks.
/// </summary>
public sealed record FaultDefinition(
    string Kind,
    string Target,
    TimeSpan? At,
    TimeSpan? Latency = null,
    TimeSpan? Jitter = null,
    string Direction = "both",
    long? BytesPerSecond = null,
    double? Share = null,
    int? Replicas = null,
    double? Factor = null,
    LoadDefinition? Load = null,
    string? Setting = null,
    TimeSpan? For = null)
{
    /// <summary>As <see cref="Replicas"/>: every running replica.</summary>
    public const int AllReplicas = int.MaxValue;
}

/// <summary>
/// What counts as steady for a request beyond "answered 2xx within 500 ms": for recovery time and for the check before
/// the baseline.
/// </summary>
/// <param name="NotServedFrom">Verifications served from here (e.g. <c>fallback</c>) are not steady yet.</param>
/// <param name="NotShed">A request the API shed on purpose is not steady yet.</param>
public sealed record SteadyStateDefinition(string? NotServedFrom, bool NotShed);

/// <summary>One claim of the hypothesis: a metric (<see cref="Metrics"/>) in some phases, compared with a threshold in the metric's unit (a fraction for %, seconds for s).</summary>
/// <param name="Actions">What to look at when it fails (the report's action items); empty: the metric's defaults.</param>
public sealed record CriterionDefinition(
    string Name,
    string Statement,
    string Metric,
    IReadOnlyList<string> Phases,
    Comparison Comparison,
    double Threshold,
    MetricArguments Arguments,
    IReadOnlyList<string>? Actions = null);

/// <summary>The parameters some metrics take: a request kind, status codes, a dependency, a share, and which requests.</summary>
/// <param name="Requests"><c>affected</c> or <c>unaffected</c>: only the requests a call fault touched, or only the others; null: all.</param>
public sealed record MetricArguments(
    string? Kind = null, IReadOnlyList<int>? Statuses = null, string? Dependency = null, double? Share = null, string? Requests = null);

/// <summary>A stop condition: abort while faults are live when the metric over the last 5 s exceeds the limit.</summary>
public sealed record GuardrailDefinition(string Metric, double Limit);
