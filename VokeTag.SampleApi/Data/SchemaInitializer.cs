using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using StackExchange.Redis;

namespace VokeTag.SampleApi.Data;

/// <summary>
/// Runs <see cref="LabSchema"/> at start, retrying until the database answers, then opens the connection pool's first
/// connections and Redis's connection, and reports "not ready" through the health check until that is done. The API process itself starts
/// even when the database is down.
/// </summary>
public sealed class SchemaInitializer(
    NpgsqlDataSource database, IConnectionMultiplexer redis, TimeProvider time, ILogger<SchemaInitializer> logger)
    : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Connections opened (and code paths compiled) before the replica says it is ready. Measured on 2 cores: a fresh
    /// replica's first 16 concurrent requests each opened a connection (SCRAM auth, a new backend) while JIT-compiling
    /// Npgsql, missed the 500 ms budget and opened the PostgreSQL breaker — a cold start, not an outage.
    /// </summary>
    public const int WarmConnections = 8;
    private volatile bool _ready;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_ready ? HealthCheckResult.Healthy("schema ready") : HealthCheckResult.Unhealthy("schema not created yet"));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                await LabSchema.EnsureCreatedAsync(database, stoppingToken);
                await WarmUpPoolAsync(stoppingToken);
                await WarmUpRedisAsync();
                _ready = true;
                logger.LogInformation("Schema ready, {TagCount} tags seeded", LabSchema.SeededTagCount);
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or TimeoutException)
            {
                logger.LogWarning("Schema not created (attempt {Attempt}): {Reason}; retrying in {Delay}", attempt, exception.Message, RetryDelay);
                await Task.Delay(RetryDelay, time, stoppingToken);
            }
        }
    }

    private async Task WarmUpPoolAsync(CancellationToken cancellationToken)
    {
        // Held open all at once, so the pool keeps that many (MinPoolSize in LabDependencies stops it pruning them).
        var connections = await Task.WhenAll(Enumerable.Range(0, WarmConnections).Select(async _ =>
        {
            var connection = await database.OpenConnectionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT count(*) FROM tags WHERE id = 'VT-000001'", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return connection;
        }));
        foreach (var connection in connections)
        {
            await connection.DisposeAsync(); // back to the pool, open
        }
    }

    /// <summary>Connects to Redis now rather than inside the first request. Best effort: Redis down only means fallback.</summary>
    private async Task WarmUpRedisAsync()
    {
        try
        {
            await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            logger.LogWarning("Redis did not answer the warm-up ({Reason}); reads will fall back to PostgreSQL until it does", exception.Message);
        }
    }
}
