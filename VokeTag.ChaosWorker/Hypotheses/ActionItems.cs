namespace VokeTag.ChaosWorker.Hypotheses;

/// <summary>
/// What to look at when a criterion on a metric fails: the design document's "Action Items", per metric. An experiment
/// file may give a criterion its own (<c>actions</c>); these are the defaults.
/// </summary>
public static class ActionItems
{
    /// <summary>For a metric without its own list: the design document's Redis failure items, which fit most failures.</summary>
    public static readonly IReadOnlyList<string> General =
    [
        "Review circuit breaker configuration",
        "Check database connection pooling",
        "Verify fallback logic in code",
        "Add more logging for debugging",
    ];

    private static readonly Dictionary<string, IReadOnlyList<string>> ByMetric = new()
    {
        ["fallback-share"] = ["Review circuit breaker configuration", "Verify fallback logic in code: is the fallback taken on every cache error?", "Check the cache call's timeout"],
        ["error-rate"] = ["Find the failing requests' traces: which dependency call failed?", "Verify fallback logic in code", "Review timeouts and retries on the failing dependency", "Add more logging for debugging"],
        ["success-rate"] = ["Find the failing requests' traces: which dependency call failed?", "Verify fallback logic in code", "Review timeouts and retries on the failing dependency"],
        ["shed-share"] = ["Review the load-shedding thresholds (CPU, queue length)", "Check that only non-critical requests are shed"],
        ["p50"] = ["Review timeouts on the slow dependency", "Check database connection pooling", "Look at the slowest traces' spans"],
        ["p95"] = ["Review timeouts on the slow dependency", "Check database connection pooling", "Look at the slowest traces' spans"],
        ["p99"] = ["Review timeouts on the slow dependency", "Check database connection pooling", "Look at the slowest traces' spans"],
        ["latency-increase"] = ["Review circuit breaker configuration: does it open soon enough?", "Check database connection pooling", "Review the failing call's timeout budget"],
        ["throughput-drop"] = ["Check database connection pooling", "Review load shedding and queueing", "Look for retries multiplying the load"],
        ["recovery-time"] = ["Review circuit breaker configuration: break duration and half-open probing", "Check reconnection logic of the client (cache, database)", "Verify health checks report the dependency back"],
        ["status-count"] = ["Find the requests answered with that status and their traces", "Verify the one place that maps failures to status codes", "Add more logging for debugging"],
        ["errors-answered-with"] = ["Verify the one place that maps failures to status codes", "Check that the dependency's exceptions are all caught by its guard"],
        ["breaker-opened"] = ["Review circuit breaker configuration: failure ratio, minimum throughput, sampling window", "Check which exceptions the breaker counts"],
        ["api-cpu-peak"] = ["Look for retries or busy loops while the dependency fails", "Review load shedding thresholds", "Profile the API under the fault"],
        ["api-memory-peak"] = ["Look for unbounded queues or caches while the dependency fails", "Check memory limits and GC settings"],
        ["cache-cpu-peak"] = ["Check the cache's load: key sizes, commands per request"],
        ["cache-memory-peak"] = ["Check the cache's eviction policy and max memory"],
        ["db-cpu-peak"] = ["Check database connection pooling", "Look at the queries the fallback sends (indexes, plans)", "Consider a smaller load on the fallback path"],
        ["db-memory-peak"] = ["Check the database's memory settings and the number of connections"],
        ["db-pool-peak"] = ["Check database connection pooling: pool size against the load", "Review how long each request holds a connection"],
        ["db-pool-waiting"] = ["Check database connection pooling: pool size against the load", "Review connection timeouts", "Review how long each request holds a connection"],
        ["ledger-missing"] = ["Verify writes are acknowledged only after they are committed", "Check idempotency keys and retries", "Review the outbox or transaction handling"],
        ["ledger-duplicates"] = ["Check idempotency keys: does a retried write find the first one?", "Review retries on writes"],
        ["replicas-serving"] = ["Check the load balancer's health checks", "Verify replicas are started again after a crash"],
        ["replicas-lost"] = ["Verify replicas are started again after a crash", "Check the health checks and restart policy"],
        ["replica-back-by-itself"] = ["Verify the restart policy", "Check the start-up time and readiness checks"],
        ["replica-restarted-by-itself"] = ["Verify the restart policy"],
        ["affected-share"] = ["Check the call fault's share against the measured one", "Look at which replicas the fault reached"],
    };

    /// <summary>The defaults for a metric (or a criterion named after one); <see cref="General"/> for the others.</summary>
    public static IReadOnlyList<string> For(string metric) => ByMetric.GetValueOrDefault(metric) ?? General;
}
