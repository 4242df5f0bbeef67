using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Telemetry;

namespace VokeTag.SampleApi.Diagnostics;

/// <summary>
/// <c>GET /diagnostics</c>: a read-only view of this replica's circuit states and counters, for the chaos worker to
/// poll (e.g. "did the database breaker open?").
/// </summary>
public static class DiagnosticsEndpoints
{
    public static IEndpointRouteBuilder MapDiagnosticsEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/diagnostics", (CircuitStates circuits, ApiMetrics metrics) => TypedResults.Ok(new ReplicaDiagnostics(
            Replica: ReplicaIdentity.Current,
            Circuits: Enum.GetValues<Dependency>().ToDictionary(
                dependency => dependency.PipelineName(),
                dependency => CircuitStates.Describe(circuits.StateOf(dependency))),
            BreakerOpenings: Enum.GetValues<Dependency>().ToDictionary(dependency => dependency.PipelineName(), circuits.OpeningsOf),
            CacheHits: metrics.CacheHits,
            CacheMisses: metrics.CacheMisses,
            Fallbacks: metrics.Fallbacks)))
            .WithName("Diagnostics");
        return app;
    }
}

public sealed record ReplicaDiagnostics(
    string Replica,
    IReadOnlyDictionary<string, string> Circuits,
    IReadOnlyDictionary<string, long> BreakerOpenings,
    long CacheHits,
    long CacheMisses,
    long Fallbacks);
