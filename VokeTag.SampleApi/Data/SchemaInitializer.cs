using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VokeTag.SampleApi.Data;

/// <summary>
/// Runs <see cref="LabSchema"/> at start, retrying until the database answers, and reports "not ready" through the
/// health check until it has. The API process itself starts even when the database is down.
/// </summary>
public sealed class SchemaInitializer(NpgsqlDataSource database, TimeProvider time, ILogger<SchemaInitializer> logger)
    : BackgroundService, IHealthCheck
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
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
}
