using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// Runs one call to a dependency through its pipeline and turns every way it can fail (down, slow, circuit open)
/// into a single <see cref="DependencyUnavailableException"/>.
/// </summary>
public sealed class DependencyGuard(Dependency dependency, ResiliencePipeline pipeline, TimeSpan breakDuration)
{
    public Dependency Dependency { get; } = dependency;

    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await pipeline.ExecuteAsync(call, cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            throw new DependencyUnavailableException(Dependency, "circuit open", exception.RetryAfter ?? breakDuration, exception);
        }
        catch (TimeoutRejectedException exception)
        {
            throw new DependencyUnavailableException(Dependency, $"no answer within {exception.Timeout.TotalMilliseconds:0} ms", breakDuration, exception);
        }
        catch (Exception exception) when (DependencyPipelines.IsDependencyFailure(exception))
        {
            throw new DependencyUnavailableException(Dependency, exception.GetType().Name, breakDuration, exception);
        }
    }
}
