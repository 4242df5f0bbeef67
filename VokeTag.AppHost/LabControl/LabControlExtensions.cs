using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VokeTag.AppHost.LabControl;

public static class LabControlExtensions
{
    public const string UrlVariable = "LabControl__Url";
    public const string SecretVariable = "LabControl__Secret";

    /// <summary>Starts the lab control API with the AppHost and hands its address and secret to this resource only.</summary>
    public const string HookSecretVariable = "Chaos__HookSecret";

    public static IResourceBuilder<T> WithLabControl<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment
    {
        EnsureLabControl(resource.ApplicationBuilder);
        return resource.WithEnvironment(async context =>
        {
            var control = context.ExecutionContext.Services.GetRequiredService<LabControlServer>();
            context.EnvironmentVariables[UrlVariable] = (await control.AddressAsync(context.CancellationToken)).ToString();
            context.EnvironmentVariables[SecretVariable] = control.Secret;
        });
    }

    /// <summary>
    /// Turns on the chaos hooks inside this resource (the API's CPU pressure): they exist only when the lab hands
    /// over its per-start secret, and answer only callers that present it.
    /// </summary>
    public static IResourceBuilder<T> WithChaosHooks<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment
    {
        EnsureLabControl(resource.ApplicationBuilder);
        return resource.WithEnvironment(context =>
            context.EnvironmentVariables[HookSecretVariable] = context.ExecutionContext.Services.GetRequiredService<LabControlServer>().Secret);
    }

    private static void EnsureLabControl(IDistributedApplicationBuilder builder)
    {
        var services = builder.Services;
        if (!services.Any(service => service.ServiceType == typeof(LabControlServer)))
        {
            services.AddSingleton<ResourceStates>();
            services.AddHostedService(provider => provider.GetRequiredService<ResourceStates>());
            services.AddSingleton<LabControlServer>();
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<FaultLeases>();
            services.AddHostedService(provider => provider.GetRequiredService<FaultLeases>());
            builder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
                @event.Services.GetRequiredService<LabControlServer>().StartAsync(cancellationToken));
        }
    }
}
