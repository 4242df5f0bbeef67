using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.FaultProxy;

public static class FaultProxyExtensions
{
    /// <summary>
    /// Puts a TCP fault proxy in front of <paramref name="target"/>: reference the returned resource instead of the
    /// target (under the target's connection name) and the traffic goes through the proxy, where chaos can add
    /// latency, partitions, resets and outages. With no fault it is a plain pass-through.
    /// </summary>
    public static IResourceBuilder<FaultProxyResource> AddFaultProxy(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<IResourceWithConnectionString> target, ConnectionStringShape shape)
    {
        var resource = new FaultProxyResource(name, target.Resource, shape);
        builder.Services.AddSingleton<FaultProxies>();
        builder.Eventing.Subscribe<BeforeStartEvent>(async (@event, _) =>
        {
            var services = @event.Services;
            var proxy = new TcpFaultProxy(name,
                async cancellationToken => shape.ServerOf(await target.Resource.ConnectionStringExpression.GetValueAsync(cancellationToken)
                    ?? throw new InvalidOperationException($"{target.Resource.Name} has no connection string yet.")),
                TimeProvider.System,
                services.GetRequiredService<ILoggerFactory>().CreateLogger($"VokeTag.AppHost.FaultProxy.{name}"));
            await proxy.StartAsync();
            resource.Attach(proxy);
            services.GetRequiredService<FaultProxies>().Add(proxy);
        });

        var healthCheckKey = $"{name}-listening";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, () => resource.Proxy.Faults.Any(fault => fault.Kind == ProxyFaultKind.Down)
            ? Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Unhealthy(resource.Proxy.HiddenBy is null ? "down (fault injected)" : resource.Proxy.Describe())
            : Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy(resource.Proxy.Faults.Count == 0 ? "pass-through" : resource.Proxy.Describe()));

        return builder.AddResource(resource)
            .WithHealthCheck(healthCheckKey)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "FaultProxy",
                State = KnownResourceStates.Running,
                Properties = [new(CustomResourceKnownProperties.Source, target.Resource.Name)],
            });
    }
}
