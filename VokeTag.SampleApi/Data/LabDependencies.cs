using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using StackExchange.Redis;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Data;

/// <summary>
/// Wires Redis (<c>ConnectionStrings:cache</c>) and PostgreSQL (<c>ConnectionStrings:voketag</c>), their resilience
/// pipelines, health checks and instrumentation. Client timeouts sit above the pipeline timeouts, so the
/// pipeline decides.
/// </summary>
public static class LabDependencies
{
    public const string RedisConnectionName = "cache";
    public const string PostgresConnectionName = "voketag";

    public static IHostApplicationBuilder AddLabDependencies(this IHostApplicationBuilder builder)
    {
        builder.Services.AddDependencyPipelines();

        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisOptions(RequiredConnectionString(builder, RedisConnectionName))));
        builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(PostgresConnectionString(RequiredConnectionString(builder, PostgresConnectionName))));

        builder.Services.AddSingleton<PostgresHealthCheck>(); // one instance: see its summary
        builder.Services.AddSingleton<SchemaInitializer>();
        builder.Services.AddHostedService(provider => provider.GetRequiredService<SchemaInitializer>());

        builder.Services.AddHealthChecks()
            .AddCheck<SchemaInitializer>("schema")
            .AddCheck<PostgresHealthCheck>("postgres")
            .AddCheck<RedisHealthCheck>("redis", failureStatus: Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);

        builder.Services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddNpgsql().AddRedisInstrumentation())
            .WithMetrics(metrics => metrics.AddNpgsqlInstrumentation());

        return builder;
    }

    internal static ConfigurationOptions RedisOptions(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;             // start even when Redis is down; reconnect in the background
        options.BacklogPolicy = BacklogPolicy.FailFast; // while disconnected, fail at once: the fallback answers
        options.ConnectTimeout = 1_000;
        options.AsyncTimeout = 1_000;
        options.SyncTimeout = 1_000;
        options.ConnectRetry = 1;
        return options;
    }

    internal static string PostgresConnectionString(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 2,                // seconds to open a connection
            CommandTimeout = 5,         // seconds per command: ends a call the API abandoned (it waits 0.5 s), see DependencyGuard
            CancellationTimeout = -1,   // on timeout, break the connection instead of waiting for the server to agree
            MinPoolSize = SchemaInitializer.WarmConnections, // the connections opened before ready stay open while idle
        };

        // The lab's PostgreSQL speaks plain TCP on loopback. Unless the connection string asks for more than "prefer",
        // do not ask the server for GSS and then TLS first: each asking is a round trip on every new connection, and
        // Npgsql opens one for every cancel request, synchronously on a pool thread. Behind 1 s of injected latency each
        // way that held the thread for about 5 s instead of 2.
        if (settings.SslMode == SslMode.Prefer)
        {
            settings.SslMode = SslMode.Disable;
        }

        if (settings.GssEncryptionMode == GssEncryptionMode.Prefer)
        {
            settings.GssEncryptionMode = GssEncryptionMode.Disable;
        }

        return settings.ConnectionString;
    }

    private static string RequiredConnectionString(IHostApplicationBuilder builder, string name) =>
        builder.Configuration.GetConnectionString(name)
        ?? throw new InvalidOperationException(
            $"ConnectionStrings:{name} is not set. Run the API through the lab (dotnet run --project VokeTag.AppHost), " +
            $"or set ConnectionStrings__{name}.");
}
