namespace VokeTag.Experiments;

/// <summary>A fault kind of experiment files: its parameters (besides <c>kind</c>, <c>target</c> and <c>at</c>) and which are required.</summary>
/// <param name="Targets">The only targets it can act on, when it cannot act on every lab resource.</param>
public sealed record FaultKind(string Name, string Description, IReadOnlyList<string> Parameters, IReadOnlyList<string> Required, IReadOnlyList<string>? Targets = null)
{
    /// <summary>A kind the AppHost's TCP fault proxies apply (targets <c>cache-proxy</c>, <c>db-proxy</c>).</summary>
    public bool IsNetwork => Name is "latency" or "bandwidth" or "blackhole" or "reset" or "down";

    /// <summary>A kind that changes the traffic, not the lab: the runner applies it to the impact phase's load.</summary>
    public bool IsLoad => Name is "spike";

    /// <summary>A kind the API's own chaos strategies apply to a share of its calls; the requests it touches are marked.</summary>
    public bool IsCall => Name is "call-error" or "call-latency";

    /// <summary>The API marks the requests this kind touches (<c>X-Chaos-Injected</c>): call faults, and a redeployed replica's answers.</summary>
    public bool MarksRequests => IsCall || Name is "redeploy";
}

/// <summary>The fault vocabulary of experiment files. The worker turns each into the fault it injects.</summary>
public static class FaultKinds
{
    /// <summary>The dependencies call faults act on, as lab resources: the cache (Redis) and the database (PostgreSQL).</summary>
    public static readonly IReadOnlyList<string> CallTargets = ["cache", "db"];

    public static readonly IReadOnlyList<FaultKind> All =
    [
        new("stop", "stops a lab resource (as the dashboard's Stop) and starts it again on rollback", [], []),
        new("kill", "kills running replicas (kill -9 of each process tree): one by default, replicas: N, or all; and waits for the lab to bring them back", ["replicas"], []),
        new("latency", "delays every chunk on a fault proxy's path by latency ± jitter", ["latency", "jitter", "direction"], ["latency"]),
        new("bandwidth", "limits a fault proxy's path to bytesPerSecond", ["bytesPerSecond", "direction"], ["bytesPerSecond"]),
        new("blackhole", "a partition: the proxy accepts and passes nothing on", ["direction"], []),
        new("reset", "the proxy resets every connection (TCP RST) while the fault lasts", [], []),
        new("down", "the proxy refuses connections while the fault lasts", [], []),
        new("cpu", "the API's replicas (every one, or replicas: N) burn a share of every core", ["share", "replicas"], ["share"]),
        new("call-error", "a share of the API's calls to the target fail as in an outage (Polly's chaos fault strategy); every replica, or replicas: N",
            ["share", "replicas"], ["share"], CallTargets),
        new("call-latency", "a share of the API's calls to the target wait latency first (Polly's chaos latency strategy; the API's timeout still applies)",
            ["latency", "share", "replicas"], ["latency", "share"], CallTargets),
        new("redeploy", "restarts API replicas (one by default, replicas: N or all, one after another) with a broken setting, and again with their own on rollback",
            ["setting", "replicas"], ["setting"], ["api"]),
        new("spike", "the load generator sends factor times the rate (and optionally another mix) for the whole impact phase", ["factor", "mix"], ["factor"]),
    ];

    /// <summary>
    /// What a redeploy breaks: PostgreSQL's password, Redis's address (a port nothing listens on), the PostgreSQL pool (one
    /// connection), or the API's resilience (no fallback, breakers or timeouts).
    /// </summary>
    public static readonly IReadOnlyList<string> RedeploySettings = ["wrong-postgres-password", "broken-redis-connection", "pool-size-1", "resilience-off"];

    /// <summary>Directions a proxy fault can act in: API → server, server → API, or both.</summary>
    public static readonly IReadOnlyList<string> Directions = ["both", "upstream", "downstream"];

    private static readonly Dictionary<string, FaultKind> ByName = All.ToDictionary(kind => kind.Name);

    public static FaultKind? Find(string name) => ByName.GetValueOrDefault(name);

    public static string Names => string.Join(", ", ByName.Keys);
}
