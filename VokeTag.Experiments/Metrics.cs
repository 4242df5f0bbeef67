namespace VokeTag.Experiments;

/// <summary>
/// One figure a criterion can judge: its unit ("%", "s", "x" or "" for a count), which phases it can be read in and
/// which parameters it takes. The worker reads it from a finished run.
/// </summary>
/// <param name="Phases">The phases it can be read in; empty when it spans the run (recovery time, latency increase).</param>
/// <param name="SumsPhases">A count that may name several phases and adds them up (e.g. 500s in impact and recovery).</param>
/// <param name="Parameters">The parameters it takes (<c>kind</c>, <c>statuses</c>, <c>dependency</c>, <c>share</c>,
/// <c>requests</c>).</param>
/// <param name="Required">Those of <paramref name="Parameters"/> a criterion must give.</param>
/// <param name="WaitsInRecovery">The recovery phase does not end early before a criterion on it holds (replicas back).</param>
public sealed record Metric(
    string Name,
    string Unit,
    string Description,
    IReadOnlyList<string> Phases,
    bool SumsPhases = false,
    IReadOnlyList<string>? Parameters = null,
    IReadOnlyList<string>? Required = null,
    bool WaitsInRecovery = false)
{
    public IReadOnlyList<string> Parameters { get; } = Parameters ?? [];

    public IReadOnlyList<string> Required { get; } = Required ?? [];

    public string? DefaultPhase => Phases.Count == 0 ? null : Phases.Contains("impact") ? "impact" : Phases[0];
}

/// <summary>The metric vocabulary of experiment files, by name.</summary>
public static class Metrics
{
    public const string BreakerOpened = "breaker-opened";
    public const string AffectedShare = "affected-share";
    public const string RedeployedUnhealthy = "redeployed-unhealthy";

    /// <summary>Which requests a per-phase metric reads: all, those a call fault touched, or the others.</summary>
    public static readonly IReadOnlyList<string> RequestScopes = ["all", "affected", "unaffected"];

    public static readonly IReadOnlyList<string> AnyPhase = ["baseline", "impact", "recovery"];

    /// <summary>Request kinds the load sends, for metrics read per kind.</summary>
    public static readonly IReadOnlyList<string> RequestKinds = ["verify", "history", "scan"];

    /// <summary>The dependencies whose circuit breakers the API reports.</summary>
    public static readonly IReadOnlyList<string> Dependencies = ["postgres", "redis"];

    public static readonly IReadOnlyList<Metric> All =
    [
        new("error-rate", "%", "share of the requests the API took on that failed (5xx or no answer); shed requests are left out", AnyPhase, Parameters: ["requests"]),
        new("success-rate", "%", "share answered 2xx: of the requests the API took on, or of one kind's requests (kind)", AnyPhase, Parameters: ["kind", "requests"]),
        new("fallback-share", "%", "share of successful verifications served from the fallback (PostgreSQL) instead of the cache", AnyPhase, Parameters: ["requests"]),
        new("shed-share", "%", "share of one kind's requests the API shed on purpose (503 with X-Shed)", AnyPhase, Parameters: ["kind", "requests"], Required: ["kind"]),
        new("p50", "s", "median latency", AnyPhase, Parameters: ["requests"]),
        new("p95", "s", "95th percentile latency, of all requests or of one kind (kind)", AnyPhase, Parameters: ["kind", "requests"]),
        new("p99", "s", "99th percentile latency", AnyPhase, Parameters: ["requests"]),
        new("errors-answered-with", "%", "share of the errors (5xx and no answer) answered with one of the statuses; 100% with no errors",
            AnyPhase, Parameters: ["statuses", "requests"], Required: ["statuses"]),
        new("status-count", "", "how many requests were answered with one of the statuses (0: no answer), added up over the phases",
            AnyPhase, SumsPhases: true, Parameters: ["statuses", "requests"], Required: ["statuses"]),
        new(AffectedShare, "%", "share of the phase's requests a call fault touched, as the API marked them (X-Chaos-Injected): the blast radius measured",
            AnyPhase),
        new("throughput-drop", "%", "how much less the impact phase answered successfully per second than the baseline", []),
        new("latency-increase", "x", "impact P95 over baseline P95 (a baseline under 10 ms counts as 10 ms)", []),
        new("recovery-time", "s", "from the rollback until the steady state held for the sustained window", []),
        new(BreakerOpened, "", "1 when the API reported the dependency's circuit breaker open or half-open during the impact phase",
            [], Parameters: ["dependency"], Required: ["dependency"]),
        new("replica-back-by-itself", "s", "how soon a killed replica was back and healthy, restarted by the lab itself (needs a kill fault)", []),
        new("replica-restarted-by-itself", "s", "how soon the lab started a killed replica again by itself, healthy or not (needs a kill fault)", []),
        new("api-cpu-peak", "%", "the highest share of all cores an API replica's process used (over a second) while faults were live", []),
        new("api-memory-peak", "%", "the highest share of the memory it may use (the machine's, or its container limit) an API replica's process held while faults were live", []),
        new("cache-cpu-peak", "%", "the highest share of all cores the cache's processes (Redis) used while faults were live (lab control reads /proc)", []),
        new("cache-memory-peak", "%", "the highest share of the machine's memory the cache's processes held while faults were live", []),
        new("db-cpu-peak", "%", "the highest share of all cores the database's processes (PostgreSQL and every backend) used while faults were live", []),
        new("db-memory-peak", "%", "the highest share of the machine's memory the database's processes held while faults were live (shared pages once)", []),
        new("db-pool-peak", "%", "the highest share of an API replica's PostgreSQL pool in use while faults were live; 100% is an exhausted pool", []),
        new("db-pool-waiting", "", "the most requests an API replica had waiting for a PostgreSQL connection while faults were live (above 0: the pool ran out)", []),
        new(RedeployedUnhealthy, "", "how many redeployed replicas answered their own readiness check (/health) unhealthy once restarted (needs a redeploy fault)", []),
        new("replicas-serving", "", "how many replicas answered at least the share of the phase's answers",
            ["recovery", "baseline", "impact"], Parameters: ["share"], Required: ["share"], WaitsInRecovery: true),
        new("replicas-lost", "", "how many replicas that answered in the baseline did not answer in the recovery (crashed, not back)",
            [], WaitsInRecovery: true),
    ];

    private static readonly Dictionary<string, Metric> ByName = All.ToDictionary(metric => metric.Name);

    public static Metric? Find(string name) => ByName.GetValueOrDefault(name);

    public static string Names => string.Join(", ", ByName.Keys);
}
