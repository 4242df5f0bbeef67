using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// Runs one call to a dependency through its pipeline and turns every way it can fail (down, slow, circuit open)
/// into a single <see cref="DependencyUnavailableException"/>.
/// </summary>
/// <param name="onFailure">Called when a call failed for a reason other than time, e.g. to drop pooled connections a
/// restarted server closed.</param>
public sealed class DependencyGuard(Dependency dependency, ResiliencePipeline pipeline, TimeSpan breakDuration, Action? onFailure = null)
{
    public Dependency Dependency { get; } = dependency;

    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            // Client libraries do not all stop promptly when cancelled (StackExchange.Redis ignores the token, Npgsql
            // may wait for the server): WaitAsync makes the pipeline's timeout a hard budget for the caller.
            return await pipeline.ExecuteAsync(async token => await call(token).AsTask().WaitAsync(token), cancellationToken);
        }
        catch (BrokenCircuitException exception)
        {
            throw new DependencyUnavailableException(Dependency, "circuit open", exception.RetryAfter ?? breakDuration, exception);
        }
        catch (TimeoutRejectedException exception)
        {
            // No onFailure here: a slow server has healthy connections, and dropping them would only add handshakes.
            throw new DependencyUnavailableException(Dependency, $"no answer within {exception.Timeout.TotalMilliseconds:0} ms", breakDuration, exception);
        }
        catch (Exception exception) when (DependencyPipelines.IsDependencyFailure(exception, cancellationToken))
        {
            onFailure?.Invoke();
            throw new DependencyUnavailableException(Dependency, exception.GetType().Name, breakDuration, exception);
        }
    }
}
