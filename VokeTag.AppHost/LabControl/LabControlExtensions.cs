using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VokeTag.AppHost.LabControl;

public static class LabControlExtensions
{
    public const string UrlVariable = "LabControl__Url";
    public const string SecretVariable = "LabControl__Secret";
    public const string HookSecretVariable = "Chaos__HookSecret";

    /// <summary>The Aspire parameter holding the control plane's secret; the dashboard shows it masked.</summary>
    public const string SecretParameter = "lab-secret";

    /// <summary>Starts the lab control API with the AppHost and hands its address and secret to this resource only.</summary>
    public static IResourceBuilder<T> WithLabControl<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment
    {
        var secret = EnsureLabControl(resource.ApplicationBuilder);
        return resource
            .WithEnvironment(SecretVariable, secret)
            .WithEnvironment(async context =>
            {
                var control = context.ExecutionContext.Services.GetRequiredService<LabControlServer>();
                context.EnvironmentVariables[UrlVariable] = (await control.AddressAsync(context.CancellationToken)).ToString();
            });
    }

    /// <summary>
    /// Turns on the chaos hooks inside this resource (the API's CPU pressure): they exist only when the lab hands
    /// over its per-start secret, and answer only callers that present it.
    /// </summary>
    public static IResourceBuilder<T> WithChaosHooks<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment =>
        resource.WithEnvironment(HookSecretVariable, EnsureLabControl(resource.ApplicationBuilder));

    /// <summary>
    /// Lets the lab redeploy single replicas of this resource with broken settings (<see cref="Redeploys"/>): every
    /// replica gets its own id, and the settings redeployed to it. The broken settings are built from the connection
    /// strings this resource really gets.
    /// </summary>
    public static IResourceBuilder<T> WithRedeploys<T>(
        this IResourceBuilder<T> resource, IResourceBuilder<IResourceWithConnectionString> postgres, IResourceBuilder<IResourceWithConnectionString> redis)
        where T : IResourceWithEnvironment
    {
        EnsureLabControl(resource.ApplicationBuilder);
        resource.ApplicationBuilder.Services.AddSingleton(new RedeploySources(postgres.Resource, redis.Resource));
        return resource.WithEnvironment(context =>
            context.ExecutionContext.Services.GetRequiredService<Redeploys>().WriteEnvironment(context.EnvironmentVariables));
    }

    /// <summary>
    /// Registers the lab control API once, with a secret generated for this start of the AppHost: an Aspire secret
    /// parameter (never written to user secrets or disk) that only the resources given it by the methods above see.
    /// </summary>
    private static IResourceBuilder<ParameterResource> EnsureLabControl(IDistributedApplicationBuilder builder)
    {
        if (builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == SecretParameter) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }

        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        var services = builder.Services;
        services.AddSingleton<ResourceStates>();
        services.AddHostedService(provider => provider.GetRequiredService<ResourceStates>());
        services.AddSingleton(provider => ActivatorUtilities.CreateInstance<LabControlServer>(provider, secret));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FaultLeases>();
        services.AddSingleton<Redeploys>();
        services.AddHostedService(provider => provider.GetRequiredService<FaultLeases>());
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
            @event.Services.GetRequiredService<LabControlServer>().StartAsync(cancellationToken));
        return builder.AddParameter(SecretParameter, () => secret, publishValueAsDefault: false, secret: true);
    }
}

/// <summary>Where the API's PostgreSQL and Redis connection strings come from, to break them for a redeploy.</summary>
public sealed record RedeploySources(IResourceWithConnectionString Postgres, IResourceWithConnectionString Redis);
