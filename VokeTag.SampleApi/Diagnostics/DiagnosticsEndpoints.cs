using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Shedding;
using VokeTag.SampleApi.Telemetry;

namespace VokeTag.SampleApi.Diagnostics;

/// <summary>
/// <c>GET /diagnostics</c>: a read-only view of this replica's circuit states, counters, CPU, memory and PostgreSQL pool,
/// for the chaos worker to poll (e.g. "did the database breaker open?", "was the pool exhausted?").
/// </summary>
public static class DiagnosticsEndpoints
{
    public static IEndpointRouteBuilder MapDiagnosticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/diagnostics", (CircuitStates circuits, ApiMetrics metrics, ProcessCpuMonitor cpu, PostgresPoolUsage pool) => TypedResults.Ok(new ReplicaDiagnostics(
            Replica: ReplicaIdentity.Current,
            Circuits: Enum.GetValues<Dependency>().ToDictionary(
                dependency => dependency.PipelineName(),
                dependency => CircuitStates.Describe(circuits.StateOf(dependency))),
            BreakerOpenings: Enum.GetValues<Dependency>().ToDictionary(dependency => dependency.PipelineName(), circuits.OpeningsOf),
            BreakerLastOpenedBy: Enum.GetValues<Dependency>().ToDictionary(dependency => dependency.PipelineName(), circuits.LastOpenedBy),
            CacheHits: metrics.CacheHits,
            CacheMisses: metrics.CacheMisses,
            Fallbacks: metrics.Fallbacks,
            CpuShare: cpu.Usage,
            MemoryShare: MemoryShare(),
            PostgresPool: pool.Read())))
            .WithName("Diagnostics");
        return app;
    }

    /// <summary>This process's working set as a share of the memory it may use (the machine's, or its container's limit).</summary>
    private static double MemoryShare() =>
        (double)Environment.WorkingSet / Math.Max(1, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
}

public sealed record ReplicaDiagnostics(
    string Replica,
    IReadOnlyDictionary<string, string> Circuits,
    IReadOnlyDictionary<string, long> BreakerOpenings,
    IReadOnlyDictionary<string, string?> BreakerLastOpenedBy,
    long CacheHits,
    long CacheMisses,
    long Fallbacks,
    double CpuShare,
    double MemoryShare,
    PoolReading PostgresPool);
