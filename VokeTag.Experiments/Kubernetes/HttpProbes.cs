namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// A criterion an engine can check itself over HTTP: "never answered with this status", sampled by a probe that calls
/// the API's verify endpoint during the phases the criterion names. The probe fails on that status, and on no answer.
/// </summary>
/// <param name="Mode">When Litmus runs it: SOT (before the fault), OnChaos (while it lasts), EOT (after), Edge (before and
/// after) or Continuous (throughout).</param>
public sealed record HttpProbe(CriterionDefinition Criterion, string Url, string Comparison, int ResponseCode, string Mode)
{
    public const string ProbeTimeout = "2s";
    public const string Interval = "1s";
    public const string PollingInterval = "1s";

    public string Describe() => $"{Criterion.Name} ({Mode}: GET {Url} {Comparison} {ResponseCode})";
}

/// <summary>A criterion only the worker can judge, and why no probe can.</summary>
public sealed record WorkerOnlyCriterion(string Name, string Statement, string Why)
{
    public string Describe() => $"{Name} ({Why})";
}

/// <summary>
/// Which criteria of a hypothesis become HTTP probes. A probe sees single requests, one at a time, so it can check a
/// claim about every request ("none answered 500", "each one answered") but not a share, a percentile, a time or
/// anything the lab measures elsewhere (breakers, replicas, CPU, the write ledger): those stay with the worker.
/// </summary>
public static class HttpProbes
{
    /// <summary>The criteria every run adds to a hypothesis: the write ledger.</summary>
    public static readonly IReadOnlyList<WorkerOnlyCriterion> Ledger =
    [
        new(Limits.LedgerMissing, "No acknowledged scan is lost", "the write ledger: every acknowledged scan read back from PostgreSQL"),
        new(Limits.LedgerDuplicates, "No scan is stored twice", "the write ledger: every acknowledged scan read back from PostgreSQL"),
    ];

    /// <summary>The probe for <paramref name="criterion"/>, or null and why none can judge it.</summary>
    public static HttpProbe? For(CriterionDefinition criterion, out WorkerOnlyCriterion? workerOnly)
    {
        var why = Why(criterion);
        workerOnly = why is null ? null : new WorkerOnlyCriterion(criterion.Name, criterion.Statement, why);
        return why is null
            ? new HttpProbe(criterion, $"{LabTopology.ApiUrl}/tags/{LabTopology.ProbeTag}", "!=", criterion.Arguments.Statuses![0], Mode(criterion.Phases))
            : null;
    }

    private static string? Why(CriterionDefinition criterion) => criterion.Metric switch
    {
        "status-count" when criterion.Arguments.Requests is not null => "a count over the requests a fault touched or did not, told by the API's marks",
        "status-count" when !MeansNone(criterion) => "a count of requests above zero; a probe can only say never",
        "status-count" when criterion.Arguments.Statuses is not { Count: 1 } => "never any of several statuses; a probe's criterion names one status",
        "status-count" => null,
        "error-rate" or "success-rate" or "fallback-share" or "shed-share" or "errors-answered-with" or "affected-share" =>
            "a share of all the load's requests in the phase; a probe sees single requests",
        "p50" or "p95" or "p99" or "latency-increase" => "a latency percentile of the load's requests",
        "throughput-drop" => "the load's throughput, impact against baseline",
        "recovery-time" => "timed by the worker from the rollback until the steady state holds",
        "breaker-opened" or "db-pool-peak" or "db-pool-waiting" => "read from every replica's /diagnostics while the fault lasts",
        "replica-back-by-itself" or "replica-restarted-by-itself" or "replicas-serving" or "replicas-lost" or Metrics.RedeployedUnhealthy =>
            "counted per replica from the answers (X-Replica) and health checks",
        _ when criterion.Metric.EndsWith("-peak", StringComparison.Ordinal) => "a resource reading of the lab's processes while the fault lasts",
        _ => "no HTTP status says it",
    };

    /// <summary>"At most 0" or "under 1": a count that allows none.</summary>
    private static bool MeansNone(CriterionDefinition criterion) =>
        criterion.Comparison switch
        {
            Comparison.AtMost => criterion.Threshold < 1,
            Comparison.LessThan => criterion.Threshold <= 1,
            _ => false,
        };

    private static string Mode(IReadOnlyList<string> phases) => (phases.Contains("baseline"), phases.Contains("impact"), phases.Contains("recovery")) switch
    {
        (true, false, false) => "SOT",
        (false, true, false) => "OnChaos",
        (false, false, true) => "EOT",
        (true, false, true) => "Edge",
        _ => "Continuous",
    };
}
