using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>Waits on the lab's own notifications (resource states and health) instead of sleeping.</summary>
public static class LabWaits
{
    /// <summary>Every instance of the resource (each replica) is Running and its health checks pass.</summary>
    public static Task HealthyAsync(DistributedApplication app, string resourceName, TimeSpan timeout) =>
        UntilAsync(app, resourceName, timeout, IsRunningAndHealthy, "Running and healthy");

    /// <summary>
    /// Runs <paramref name="restart"/> and waits until the resource has been seen down and then every instance is
    /// Running and healthy again. Watching starts before the command, so a fast restart cannot slip by.
    /// </summary>
    public static async Task RestartedAsync(DistributedApplication app, string resourceName, Func<Task> restart, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var watching = new TaskCompletionSource();
        var sawDown = false;
        var latest = new Dictionary<string, CustomResourceSnapshot>();
        var watch = Task.Run(async () =>
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(cancellation.Token))
            {
                if (update.Resource.Name != resourceName)
                {
                    continue;
                }

                watching.TrySetResult();
                latest[update.ResourceId] = update.Snapshot;
                sawDown |= update.Snapshot.State?.Text != KnownResourceStates.Running;
                if (sawDown && latest.Count == ReplicaCount(update.Resource) && latest.Values.All(IsRunningAndHealthy))
                {
                    return;
                }
            }
        }, cancellation.Token);

        await watching.Task.WaitAsync(cancellation.Token);
        await restart();
        try
        {
            await watch;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"{resourceName} did not come back Running and healthy within {timeout} (seen down: {sawDown}).");
        }
    }

    /// <summary>The resource has stopped (Exited, Finished or FailedToStart).</summary>
    public static Task StoppedAsync(DistributedApplication app, string resourceName, TimeSpan timeout) =>
        UntilAsync(app, resourceName, timeout,
            snapshot => snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state),
            "stopped");

    /// <summary>Every instance of the resource is Running (health not required).</summary>
    public static Task RunningAsync(DistributedApplication app, string resourceName, TimeSpan timeout) =>
        UntilAsync(app, resourceName, timeout, snapshot => snapshot.State?.Text == KnownResourceStates.Running, "Running");

    /// <summary>The process id of a running single-instance resource, from its Aspire snapshot.</summary>
    public static async Task<int> PidAsync(DistributedApplication app, string resourceName, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellation.Token))
        {
            if (update.Resource.Name == resourceName && update.Snapshot.State?.Text == KnownResourceStates.Running
                && update.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid)
            {
                return Convert.ToInt32(pid, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new TimeoutException($"{resourceName} has no running process within {timeout}.");
    }

    /// <summary>The ids Aspire gives the instances of a resource, one per replica, as its notifications name them.</summary>
    public static async Task<string[]> InstanceIdsAsync(DistributedApplication app, string resourceName, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var ids = new HashSet<string>();
        await foreach (var update in app.ResourceNotifications.WatchAsync(cancellation.Token))
        {
            if (update.Resource.Name == resourceName && ids.Add(update.ResourceId) && ids.Count == ReplicaCount(update.Resource))
            {
                break;
            }
        }

        return [.. ids.Order()];
    }

    private static bool IsRunningAndHealthy(CustomResourceSnapshot snapshot) =>
        snapshot.State?.Text == KnownResourceStates.Running && snapshot.HealthStatus == HealthStatus.Healthy;

    private static int ReplicaCount(IResource resource) =>
        resource.Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

    private static async Task UntilAsync(
        DistributedApplication app, string resourceName, TimeSpan timeout, Func<CustomResourceSnapshot, bool> condition, string description)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        var latest = new Dictionary<string, CustomResourceSnapshot>();
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(cancellation.Token))
            {
                if (update.Resource.Name != resourceName)
                {
                    continue;
                }

                latest[update.ResourceId] = update.Snapshot;
                if (latest.Count == ReplicaCount(update.Resource) && latest.Values.All(condition))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            var seen = string.Join("; ", latest.Select(pair => $"{pair.Key}: {pair.Value.State?.Text}/{pair.Value.HealthStatus}"));
            throw new TimeoutException($"{resourceName} was not {description} within {timeout}. Last seen: {seen}");
        }
    }
}
