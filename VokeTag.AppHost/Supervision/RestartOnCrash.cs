using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VokeTag.AppHost.Supervision;

/// <summary>Marks a resource whose instances the lab starts again when they exit without being asked to.</summary>
public sealed class RestartOnCrashAnnotation : IResourceAnnotation;

public static class RestartOnCrashExtensions
{
    /// <summary>
    /// A restart policy like Kubernetes' or Docker's <c>on-failure</c>: an instance that exits on its own (a crash,
    /// a <c>kill -9</c>) is started again, with a growing delay if it keeps crashing. Aspire alone leaves it down.
    /// A Stop from the dashboard or the lab control API is not a crash and is left alone.
    /// </summary>
    /// <param name="enabled">False leaves crashed instances down (<c>Lab:RestartCrashed=false</c>).</param>
    public static IResourceBuilder<T> WithRestartOnCrash<T>(this IResourceBuilder<T> resource, bool enabled = true) where T : IResource
    {
        if (!enabled)
        {
            return resource;
        }

        var services = resource.ApplicationBuilder.Services;
        if (!services.Any(service => service.ServiceType == typeof(CrashSupervisor)))
        {
            services.TryAddSingleton(TimeProvider.System);
            services.AddSingleton<CrashSupervisor>();
            services.AddHostedService(provider => provider.GetRequiredService<CrashSupervisor>());
        }

        return resource.WithAnnotation(new RestartOnCrashAnnotation());
    }
}
