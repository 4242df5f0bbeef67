namespace VokeTag.SampleApi.Resilience;

/// <summary>The API's two backing services; each has its own resilience pipeline and circuit breaker.</summary>
public enum Dependency
{
    Redis,
    Postgres,
}

public static class DependencyNames
{
    public static string PipelineName(this Dependency dependency) => dependency switch
    {
        Dependency.Redis => "redis",
        Dependency.Postgres => "postgres",
        _ => throw new ArgumentOutOfRangeException(nameof(dependency), dependency, null),
    };
}
