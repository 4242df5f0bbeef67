using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.AppHost.Containers;
using VokeTag.AppHost.FaultProxy;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Redis;

public static class LabRedisExtensions
{
    /// <summary>
    /// The lab's cache. Container mode: Aspire's Redis container. Process mode: redis-server from PATH, or the
    /// embedded Garnet server when redis-server is missing (or <c>Lab:Redis=embedded</c>).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddLabRedis(
        this IDistributedApplicationBuilder builder, string name, LabPlan lab)
    {
        if (lab.Runtime == LabRuntime.Container)
        {
            // No volume: the cache starts empty after a restart, by design (it is a cache).
            return builder.AddRedis(name).WithoutHttpsCertificate().WithLabContainerSettings(lab)
                .WithDirectEndpoint(LocalRedisResource.EndpointName); // "tcp", as Aspire names it
        }

        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);
        var redis = lab.RedisServerPath is { } redisServer
            ? builder.AddResource(new LocalRedisResource(name, redisServer, builder.AppHostDirectory, password))
                .WithArgs(context =>
                {
                    var resource = (LocalRedisResource)context.Resource;
                    context.Args.Add("--port");
                    context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                    context.Args.Add("--bind");
                    context.Args.Add("127.0.0.1");
                    context.Args.Add("--requirepass");
                    context.Args.Add(resource.Password);
                    // In memory only: the cache is disposable by design, and a fresh start is a cold cache.
                    context.Args.Add("--save");
                    context.Args.Add("");
                    context.Args.Add("--appendonly");
                    context.Args.Add("no");
                })
            : builder.AddResource(new LocalRedisResource(name, "dotnet", builder.AppHostDirectory, password))
                .WithArgs(context =>
                {
                    var resource = (LocalRedisResource)context.Resource;
                    foreach (var argument in EmbeddedRedisCommandLine())
                    {
                        context.Args.Add(argument);
                    }

                    context.Args.Add("--port");
                    context.Args.Add(resource.Endpoint.Property(EndpointProperty.TargetPort));
                    context.Args.Add("--password");
                    context.Args.Add(resource.Password);
                });

        var healthCheckKey = $"{name}-ping";
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey,
            _ => new RedisPingHealthCheck(async cancellationToken =>
            {
                var endpoint = redis.Resource.Endpoint;
                return (endpoint.Host, endpoint.Port, await redis.Resource.Password.GetValueAsync(cancellationToken) ?? "");
            }),
            failureStatus: null,
            tags: null));

        return redis
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp")
            .WithDirectEndpoint(LocalRedisResource.EndpointName)
            .WithHealthCheck(healthCheckKey);
    }

    /// <summary>
    /// <c>dotnet run</c> of the Garnet host without building: the AppHost's build already built it, in the same
    /// configuration as the AppHost itself.
    /// </summary>
    private static string[] EmbeddedRedisCommandLine()
    {
        var configuration = typeof(LabRedisExtensions).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return ["run", "--project", new Projects.VokeTag_EmbeddedRedis().ProjectPath, "--no-build", "--no-launch-profile", "-c", configuration, "--"];
    }
}
