namespace VokeTag.Experiments;

/// <summary>A fault kind of experiment files: its parameters (besides <c>kind</c>, <c>target</c> and <c>at</c>) and which are required.</summary>
public sealed record FaultKind(string Name, string Description, IReadOnlyList<string> Parameters, IReadOnlyList<string> Required)
{
    /// <summary>A kind the AppHost's TCP fault proxies apply (targets <c>cache-proxy</c>, <c>db-proxy</c>).</summary>
    public bool IsNetwork => Name is "latency" or "bandwidth" or "blackhole" or "reset" or "down";

    /// <summary>A kind that changes the traffic, not the lab: the runner applies it to the impact phase's load.</summary>
    public bool IsLoad => Name is "spike";
}

/// <summary>The fault vocabulary of experiment files. The worker turns each into the fault it injects.</summary>
public static class FaultKinds
{
    public static readonly IReadOnlyList<FaultKind> All =
    [
        new("stop", "stops a lab resource (as the dashboard's Stop) and starts it again on rollback", [], []),
        new("kill", "kills running replicas (kill -9 of each process tree): one by default, replicas: N, or all; and waits for the lab to bring them back", ["replicas"], []),
        new("latency", "delays every chunk on a fault proxy's path by latency ± jitter", ["latency", "jitter", "direction"], ["latency"]),
        new("bandwidth", "limits a fault proxy's path to bytesPerSecond", ["bytesPerSecond", "direction"], ["bytesPerSecond"]),
        new("blackhole", "a partition: the proxy accepts and passes nothing on", ["direction"], []),
        new("reset", "the proxy resets every connection (TCP RST) while the fault lasts", [], []),
        new("down", "the proxy refuses connections while the fault lasts", [], []),
        new("cpu", "every replica of the API burns a share of every core", ["share"], ["share"]),
        new("spike", "the load generator sends factor times the rate (and optionally another mix) for the whole impact phase", ["factor", "mix"], ["factor"]),
    ];

    /// <summary>Directions a proxy fault can act in: API → server, server → API, or both.</summary>
    public static readonly IReadOnlyList<string> Directions = ["both", "upstream", "downstream"];

    private static readonly Dictionary<string, FaultKind> ByName = All.ToDictionary(kind => kind.Name);

    public static FaultKind? Find(string name) => ByName.GetValueOrDefault(name);

    public static string Names => string.Join(", ", ByName.Keys);
}
