using Microsoft.Extensions.DependencyInjection;

namespace VokeTag.AppHost.LabControl;

public static class LabControlExtensions
{
    public const string UrlVariable = "LabControl__Url";
    public const string SecretVariable = "LabControl__Secret";

    /// <summary>Starts the lab control API with the AppHost and hands its address and secret to this resource only.</summary>
    public static IResourceBuilder<T> WithLabControl<T>(this IResourceBuilder<T> resource) where T : IResourceWithEnvironment
    {
        var services = resource.ApplicationBuilder.Services;
        if (!services.Any(service => service.ServiceType == typeof(LabControlServer)))
        {
            services.AddSingleton<ResourceStates>();
            services.AddHostedService(provider => provider.GetRequiredService<ResourceStates>());
            services.AddSingleton<LabControlServer>();
            resource.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((@event, cancellationToken) =>
                @event.Services.GetRequiredService<LabControlServer>().StartAsync(cancellationToken));
        }

        return resource.WithEnvironment(async context =>
        {
            var control = context.ExecutionContext.Services.GetRequiredService<LabControlServer>();
            context.EnvironmentVariables[UrlVariable] = (await control.AddressAsync(context.CancellationToken)).ToString();
            context.EnvironmentVariables[SecretVariable] = control.Secret;
        });
    }
}
