namespace VokeTag.AppHost.Headless;

/// <summary>The wait every command-line mode starts with: until the lab's resources are healthy, or a clear timeout.</summary>
public static class LabHealth
{
    public static readonly IReadOnlyList<string> Resources = ["cache", "db", "api", "chaos"];
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <exception cref="TimeoutException">A resource was not healthy in time; names it.</exception>
    public static async Task WaitAsync(ResourceNotificationService notifications, TimeProvider time, CancellationToken stoppingToken)
    {
        using var deadline = new CancellationTokenSource(StartTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, stoppingToken);
        foreach (var resource in Resources)
        {
            try
            {
                await notifications.WaitForResourceHealthyAsync(resource, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{resource} was not healthy within {StartTimeout.TotalMinutes:0} min; see its logs in the dashboard.");
            }
        }
    }
}
