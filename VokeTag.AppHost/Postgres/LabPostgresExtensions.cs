using System.Text.RegularExpressions;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VokeTag.AppHost.Containers;
using VokeTag.AppHost.FaultProxy;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Postgres;

public static partial class LabPostgresExtensions
{
    /// <summary>
    /// The lab's source of truth: a PostgreSQL server <paramref name="name"/> with one database
    /// <paramref name="databaseName"/>, which is what this returns. Container mode: Aspire's PostgreSQL container.
    /// Process mode: <c>postgres</c> over a cluster created for this start (see <see cref="LocalPostgresCluster"/>).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLabPostgres(
        this IDistributedApplicationBuilder builder, string name, string databaseName, LabPlan lab)
    {
        if (!DatabaseNamePattern().IsMatch(databaseName))
        {
            throw new ArgumentException($"'{databaseName}' is not a plain PostgreSQL identifier.", nameof(databaseName));
        }

        if (lab.Runtime == LabRuntime.Container)
        {
            // A volume of this start's: stop, start, restart or kill of the container keep the schema, the seeded tags
            // and every acknowledged scan, as a real database restart does. The image first: Aspire picks the mount
            // path (/var/lib/postgresql for 18+) from its tag when the volume is added.
            return builder.AddPostgres(name)
                .WithLabContainerSettings(lab)
                .WithDirectEndpoint(LocalPostgresResource.EndpointName) // "tcp", as Aspire names it
                .WithDataVolume(LabContainers.DataVolumeName(name))
                .AddDatabase(databaseName);
        }

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var cluster = new LocalPostgresCluster(lab.DataDirectory, lab.Binaries);
        var (command, prefix) = cluster.CommandFor(cluster.PostgresExecutable);

        var server = builder.AddResource(new LocalPostgresResource(name, command, builder.AppHostDirectory, cluster, password))
            .WithEndpoint(name: LocalPostgresResource.EndpointName, scheme: "tcp")
            .WithDirectEndpoint(LocalPostgresResource.EndpointName)
            .WithArgs(context =>
            {
                var resource = (LocalPostgresResource)context.Resource;
                foreach (var argument in prefix)
                {
                    context.Args.Add(argument);
                }

                context.Args.Add("-D");
                context.Args.Add(cluster.DataDirectory);
                context.Args.Add("-p");
                context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("-k");
                context.Args.Add(cluster.RunDirectory);
                context.Args.Add("-c");
                context.Args.Add("listen_addresses=127.0.0.1");
            })
            .WithReadyHealthCheck();

        var database = builder.AddResource(new LocalPostgresDatabaseResource(databaseName, databaseName, server.Resource))
            .WithReadyHealthCheck()
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "PostgresDatabase",
                State = KnownResourceStates.NotStarted,
                Properties = [new(CustomResourceKnownProperties.Source, name)],
            });

        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, cancellationToken) =>
        {
            await cluster.InitializeAsync(await password.GetValueAsync(cancellationToken) ?? "", cancellationToken);
            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(cluster.Delete);
        });

        builder.Eventing.Subscribe<ResourceReadyEvent>(server.Resource, async (@event, cancellationToken) =>
            await CreateDatabaseIfMissingAsync(server.Resource, databaseName, cancellationToken));

        // Aspire mirrors a container's state onto its databases, not an executable's: the lab does it here.
        builder.Eventing.Subscribe<InitializeResourceEvent>(database.Resource, (@event, cancellationToken) =>
        {
            _ = MirrorServerStateAsync(server.Resource, database.Resource, @event.Notifications, cancellationToken);
            return Task.CompletedTask;
        });

        return database;
    }

    private static IResourceBuilder<T> WithReadyHealthCheck<T>(this IResourceBuilder<T> resource) where T : IResourceWithConnectionString
    {
        var key = $"{resource.Resource.Name}-ready";
        resource.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new PostgresReadyHealthCheck(resource.Resource), failureStatus: null, tags: null));
        return resource.WithHealthCheck(key);
    }

    private static async Task CreateDatabaseIfMissingAsync(LocalPostgresResource server, string databaseName, CancellationToken cancellationToken)
    {
        var connectionString = await server.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = databaseName });
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            // The name matched DatabaseNamePattern: safe to place in the statement.
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{databaseName}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task MirrorServerStateAsync(
        LocalPostgresResource server, LocalPostgresDatabaseResource database, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken))
            {
                if (update.Resource == server && update.Snapshot.State?.Text is { } state)
                {
                    await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                    {
                        State = state,
                        StartTimeStamp = update.Snapshot.StartTimeStamp,
                        StopTimeStamp = update.Snapshot.StopTimeStamp,
                    });
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseNamePattern();
}
