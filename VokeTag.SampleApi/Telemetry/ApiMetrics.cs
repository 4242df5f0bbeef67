using System.Diagnostics.Metrics;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Tags;

namespace VokeTag.SampleApi.Telemetry;

/// <summary>
/// The API's own metrics (meter <c>VokeTag.Api</c>): where verifications were served from, request outcomes and
/// the circuit state of each dependency. The running totals also feed the diagnostics endpoint.
/// </summary>
public sealed class ApiMetrics
{
    public const string MeterName = "VokeTag.Api";

    private readonly Counter<long> _verifications;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _dependencyFailures;
    private long _cacheHits;
    private long _cacheMisses;
    private long _fallbacks;

    public ApiMetrics(IMeterFactory meterFactory, CircuitStates circuits)
    {
        var meter = meterFactory.Create(MeterName);
        _verifications = meter.CreateCounter<long>("voketag.verifications", description: "Tag verifications by the path that served them (cache, database, fallback).");
        _outcomes = meter.CreateCounter<long>("voketag.request.outcomes", description: "API responses by endpoint and status class.");
        _dependencyFailures = meter.CreateCounter<long>("voketag.dependency.failures", description: "Calls to Redis or PostgreSQL that failed, timed out or met an open circuit.");
        meter.CreateObservableGauge("voketag.circuit.state",
            () => Enum.GetValues<Dependency>().Select(dependency => new Measurement<int>(
                (int)circuits.StateOf(dependency),
                new KeyValuePair<string, object?>("dependency", dependency.PipelineName()))),
            description: "Circuit breaker state per dependency: 0 closed, 1 open, 2 half-open, 3 isolated.");
    }

    public long CacheHits => Interlocked.Read(ref _cacheHits);

    public long CacheMisses => Interlocked.Read(ref _cacheMisses);

    public long Fallbacks => Interlocked.Read(ref _fallbacks);

    public void Served(ServedFrom source)
    {
        switch (source)
        {
            case ServedFrom.Cache: Interlocked.Increment(ref _cacheHits); break;
            case ServedFrom.Database: Interlocked.Increment(ref _cacheMisses); break;
            default: Interlocked.Increment(ref _fallbacks); break;
        }

        _verifications.Add(1, new KeyValuePair<string, object?>("served_from", source.ToString().ToLowerInvariant()));
    }

    public void DependencyFailed(Dependency dependency, string reason) =>
        _dependencyFailures.Add(1,
            new KeyValuePair<string, object?>("dependency", dependency.PipelineName()),
            new KeyValuePair<string, object?>("reason", reason));

    public void Responded(string endpoint, int statusCode) =>
        _outcomes.Add(1,
            new KeyValuePair<string, object?>("endpoint", endpoint),
            new KeyValuePair<string, object?>("status_class", $"{statusCode / 100}xx"));
}
