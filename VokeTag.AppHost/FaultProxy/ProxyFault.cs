namespace VokeTag.AppHost.FaultProxy;

/// <summary>What a proxy fault does to the traffic it touches.</summary>
public enum ProxyFaultKind
{
    /// <summary>Delays every chunk by <see cref="ProxyFault.LatencyMs"/> ± <see cref="ProxyFault.JitterMs"/>.</summary>
    Latency,

    /// <summary>Caps throughput at <see cref="ProxyFault.BytesPerSecond"/>.</summary>
    Bandwidth,

    /// <summary>Accepts and reads, never forwards: the peer waits forever (a network partition).</summary>
    Blackhole,

    /// <summary>Resets every connection, existing and new (TCP RST).</summary>
    Reset,

    /// <summary>Stops listening: new connections are refused, existing ones reset.</summary>
    Down,
}

/// <summary>Which way the bytes flow: from the API to the server, back, or both.</summary>
public enum ProxyDirection
{
    Both,
    Upstream,
    Downstream,
}

/// <summary>One fault on a proxy, Toxiproxy-style. Validated before it is applied; the message names the field.</summary>
public sealed record ProxyFault(
    ProxyFaultKind Kind,
    ProxyDirection Direction = ProxyDirection.Both,
    int LatencyMs = 0,
    int JitterMs = 0,
    long BytesPerSecond = 0)
{
    public const int MaxLatencyMs = 60_000;

    public bool Affects(ProxyDirection direction) => Direction == ProxyDirection.Both || Direction == direction;

    public IEnumerable<string> Validate()
    {
        if (Kind == ProxyFaultKind.Latency && LatencyMs is <= 0 or > MaxLatencyMs)
        {
            yield return $"latencyMs is {LatencyMs}; allowed 1 to {MaxLatencyMs} for a latency fault.";
        }

        if (JitterMs < 0 || JitterMs > LatencyMs)
        {
            yield return $"jitterMs is {JitterMs}; allowed 0 up to latencyMs ({LatencyMs}).";
        }

        if (Kind == ProxyFaultKind.Bandwidth && BytesPerSecond is < 1 or > 1_000_000_000)
        {
            yield return $"bytesPerSecond is {BytesPerSecond}; allowed 1 to 1000000000 for a bandwidth fault.";
        }
    }
}
