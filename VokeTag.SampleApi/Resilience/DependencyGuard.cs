using Npgsql;
using Polly;
using StackExchange.Redis;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// Runs one call to a dependency through its pipeline and turns every way it can fail into what the API answers:
/// an outage (down, slow, circuit open) or contention into <see cref="DependencyUnavailableException"/>, a request the
/// server refused into <see cref="DependencyRejectedException"/>. Anything else is left as it is: a 500, logged.
/// Which is which is decided by <see cref="DependencyFailures"/> alone.
/// </summary>
/// <param name="onConnectionBroken">Called when a failure broke the connection, e.g. to drop pooled connections a
/// restarted server closed. Never for a slow server (its connections are healthy) or a refused request.</param>
/// <param name="cancellingBlocks">Cancelling the client's token blocks a pool thread. Npgsql answers a cancelled token
/// (or an expired command timeout) by sending PostgreSQL a cancel request synchronously — a new connection, the request,
/// then a read until the server closes it — on the thread that cancels or on the one that completes its read; behind
/// injected latency or a blackhole that starved the pool. Such a client gets no token and no command timeout
/// (<see cref="Data.LabDependencies.PostgresConnectionString"/>): a call past its budget is abandoned and ends by itself
/// when the server answers, the server's own statement timeout ends it, or the connection breaks.</param>
public sealed class DependencyGuard(
    Dependency dependency, ResiliencePipeline pipeline, TimeSpan breakDuration, Action? onConnectionBroken = null, bool cancellingBlocks = false)
{
    /// <summary>A collision with a concurrent transaction clears at once: retrying after a second is plenty.</summary>
    private static readonly TimeSpan ContentionRetryAfter = TimeSpan.FromSeconds(1);

    public Dependency Dependency { get; } = dependency;

    public async ValueTask<T> ExecuteAsync<T>(Func<CancellationToken, ValueTask<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            // Client libraries do not all stop promptly when cancelled (StackExchange.Redis ignores the token) or are not
            // given one: WaitAsync makes the pipeline's timeout a hard budget for the caller.
            return await pipeline.ExecuteAsync(
                async token => await call(cancellingBlocks ? CancellationToken.None : token).AsTask().WaitAsync(token),
                cancellationToken);
        }
        catch (Exception exception) when (DependencyFailures.Classify(exception, cancellationToken) is { Kind: not FailureKind.Unexpected } failure)
        {
            if (failure.BrokeConnection)
            {
                onConnectionBroken?.Invoke();
            }

            throw failure.Kind switch
            {
                FailureKind.Outage => new DependencyUnavailableException(Dependency, failure.Reason, RetryAfter(exception), exception),
                FailureKind.Contention => new DependencyUnavailableException(Dependency, failure.Reason, ContentionRetryAfter, exception),
                _ => new DependencyRejectedException(Dependency, failure, ServerMessage(exception), exception),
            };
        }
    }

    private TimeSpan RetryAfter(Exception exception) =>
        exception is Polly.CircuitBreaker.BrokenCircuitException { RetryAfter: { } remaining } ? remaining : breakDuration;

    private static string ServerMessage(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.MessageText,
        RedisServerException redis => redis.Message,
        _ => exception.Message,
    };
}
