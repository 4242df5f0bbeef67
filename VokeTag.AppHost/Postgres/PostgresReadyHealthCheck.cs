using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VokeTag.AppHost.Postgres;

/// <summary>Healthy when a connection with the resource's own connection string runs <c>SELECT 1</c>.</summary>
public sealed class PostgresReadyHealthCheck(IResourceWithConnectionString resource) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        try
        {
            var connectionString = await resource.ConnectionStringExpression.GetValueAsync(timeout.Token);
            // No pooling: a check must open a real connection each time, not reuse one the server has dropped.
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(timeout.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {exception.Message}");
        }
    }
}
