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

    /// <summary>PostgreSQL's own limit on one statement of the API (the schema script lifts it for itself).</summary>
    internal const int StatementTimeoutMilliseconds = 5_000;

    internal static string PostgresConnectionString(string connectionString)
    {
        var settings = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Timeout = 2,                // seconds to open a connection
            // No client-side command timeout: when one expires, Npgsql sends PostgreSQL a cancel request synchronously on
            // the pool thread that completes the read, and then blocks reading until the server closes that connection
            // (no setting bounds that read: CancellationTimeout does not apply to it). Behind a blackhole on db-proxy each
            // abandoned command held a pool thread until the blackhole lifted (seen with dotnet-stack: DoCancelRequest ->
            // NetworkStream.Read), and cached verifications, which never touch PostgreSQL, queued behind them for 1-2 s.
            // The server ends a slow statement itself instead (statement_timeout below, SQLSTATE 57014, an outage); a
            // call abandoned behind a partition ends when its connection breaks (the fault proxy resets the connections it
            // held when a blackhole lifts).
            CommandTimeout = 0,
            MinPoolSize = SchemaInitializer.WarmConnections, // the connections opened before ready stay open while idle
        };

        // Ends a call the API abandoned (it waits 0.5 s) on a server that is slow rather than unreachable, without a
        // cancel request: far above the budget, so only abandoned statements ever reach it.
        settings.Options = string.IsNullOrWhiteSpace(settings.Options)
            ? $"-c statement_timeout={StatementTimeoutMilliseconds}"
            : $"{settings.Options} -c statement_timeout={StatementTimeoutMilliseconds}";

        // The lab's PostgreSQL speaks plain TCP on loopback. Unless the connection string asks for more than "prefer",
        // do not ask the server for GSS and then TLS first: each asking is a round trip on every new connection.
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
