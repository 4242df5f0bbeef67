using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace VokeTag.AppHost.Postgres;

/// <summary>
/// Healthy when a connection with the resource's own connection string runs <c>SELECT 1</c> within 2 s. The check is
/// abandoned at its budget, never cancelled: Npgsql answers a cancelled query with a cancel request sent synchronously
/// on a pool thread (see the API's <c>DependencyGuard</c>), and this check runs in the AppHost beside its fault proxies.
/// </summary>
public sealed class PostgresReadyHealthCheck(IResourceWithConnectionString resource) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await SelectOneAsync().WaitAsync(Budget, cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException or OperationCanceledException or IOException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {exception.Message}");
        }
    }

    private async Task SelectOneAsync()
    {
        var connectionString = await resource.ConnectionStringExpression.GetValueAsync(CancellationToken.None);
        // No pooling: a check must open a real connection each time, not reuse one the server has dropped. No command
        // timeout: an abandoned check ends when the server answers or the connection breaks, without a cancel request.
        await using var connection = new NpgsqlConnection(
            new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, Timeout = 2, CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        await command.ExecuteScalarAsync();
    }
}
