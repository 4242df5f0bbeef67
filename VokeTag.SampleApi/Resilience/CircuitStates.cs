using Polly.CircuitBreaker;

namespace VokeTag.SampleApi.Resilience;

/// <summary>Where the API reads the live circuit state of each dependency (metrics, diagnostics).</summary>
public sealed class CircuitStates
{
    private readonly Dictionary<Dependency, CircuitBreakerStateProvider> _providers =
        Enum.GetValues<Dependency>().ToDictionary(dependency => dependency, _ => new CircuitBreakerStateProvider());

    public CircuitBreakerStateProvider ProviderFor(Dependency dependency) => _providers[dependency];

    private readonly long[] _openings = new long[Enum.GetValues<Dependency>().Length];
    private readonly string?[] _lastOpenedBy = new string?[Enum.GetValues<Dependency>().Length];

    public CircuitState StateOf(Dependency dependency) => _providers[dependency].CircuitState;

    /// <summary>How often this dependency's breaker opened since the replica started: a trip that closed again still counts.</summary>
    public long OpeningsOf(Dependency dependency) => Interlocked.Read(ref _openings[(int)dependency]);

    /// <summary>The failure that opened this dependency's breaker last (e.g. "no answer within 200 ms"), or null if it never opened.</summary>
    public string? LastOpenedBy(Dependency dependency) => Volatile.Read(ref _lastOpenedBy[(int)dependency]);

    public void RecordOpened(Dependency dependency, string reason)
    {
        Volatile.Write(ref _lastOpenedBy[(int)dependency], reason);
        Interlocked.Increment(ref _openings[(int)dependency]);
    }

    /// <summary>The dashboard-friendly name: closed, half-open or open (isolated counts as open).</summary>
    public static string Describe(CircuitState state) => state switch
    {
        CircuitState.Closed => "closed",
        CircuitState.HalfOpen => "half-open",
        _ => "open",
    };
}
