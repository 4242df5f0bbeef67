namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// A dependency could not answer in time: it is down, too slow, or its circuit is open. The API maps this to
/// 503 with <c>Retry-After</c>, or, for Redis on the read path, to the database fallback.
/// </summary>
public sealed class DependencyUnavailableException(Dependency dependency, string reason, TimeSpan retryAfter, Exception? inner)
    : Exception($"{dependency} is unavailable: {reason}", inner)
{
    public Dependency Dependency { get; } = dependency;

    public string Reason { get; } = reason;

    public TimeSpan RetryAfter { get; } = retryAfter;
}
