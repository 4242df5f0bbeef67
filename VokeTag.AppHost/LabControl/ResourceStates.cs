using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;

namespace VokeTag.AppHost.LabControl;

/// <summary>The latest snapshot of every resource instance (each replica has its own id), kept from Aspire's notifications.</summary>
public sealed class ResourceStates(ResourceNotificationService notifications) : BackgroundService
{
    private readonly ConcurrentDictionary<string, ResourceEvent> _latest = new();

    public IReadOnlyList<ResourceEvent> InstancesOf(IResource resource) =>
        [.. _latest.Values.Where(update => update.Resource == resource).OrderBy(update => update.ResourceId)];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                _latest[update.ResourceId] = update;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
