using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// Ready needs PostgreSQL with the lab's schema; without either the API can verify nothing. A database that answers but
/// lost its tables (a container recreated without its volume) is reported as that, not as "not answering".
/// One instance (registered as a singleton): a check that outlives its budget is not repeated while it runs, so polling
/// a partitioned database does not pile up abandoned queries.
/// </summary>
public sealed class PostgresHealthCheck(NpgsqlDataSource database) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task? _running;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            // No token for Npgsql: cancelling one blocks a pool thread (see DependencyGuard). A check past its budget is
            // abandoned and ends by itself; until it has, later checks wait on it instead of starting another.
            await RunningOrNewCheck().WaitAsync(Budget, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (PostgresException missing) when (missing.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"PostgreSQL answers but the lab's schema is missing ({missing.MessageText}, SQLSTATE {missing.SqlState}): requests that need it answer 500.");
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or IOException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"PostgreSQL did not answer: {exception.Message}");
        }
    }

    private Task RunningOrNewCheck()
    {
        lock (_gate)
        {
            return _running is { IsCompleted: false } running ? running : _running = CountSeededTagAsync();
        }
    }

    private async Task CountSeededTagAsync()
    {
        await using var command = database.CreateCommand("SELECT count(*) FROM tags WHERE id = 'VT-000001'");
        await command.ExecuteScalarAsync();
    }
}

/// <summary>Redis down only makes the API slower (reads fall back to PostgreSQL): registered as Degraded, not Unhealthy.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromMilliseconds(500);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(Budget, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"Redis did not answer; reads fall back to PostgreSQL: {exception.Message}");
        }
    }
}
