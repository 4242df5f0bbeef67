using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.Supervision;

/// <summary>
/// Watches the instances of resources marked <see cref="RestartOnCrashAnnotation"/> and starts again any that went
/// from Running straight to Exited or Finished. A commanded stop passes through Stopping first, so it is never
/// mistaken for a crash. Repeated crashes of one instance back off: 1 s, 2 s, 4 s … at most 30 s.
/// </summary>
public sealed class CrashSupervisor(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<CrashSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CrashMemory = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, string?> _lastState = new();
    private readonly ConcurrentDictionary<string, List<DateTimeOffset>> _crashes = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                if (!update.Resource.TryGetLastAnnotation<RestartOnCrashAnnotation>(out _))
                {
                    continue;
                }

                var state = update.Snapshot.State?.Text;
                var previous = _lastState.GetValueOrDefault(update.ResourceId);
                _lastState[update.ResourceId] = state;
                // While the lab shuts down, everything exits; that is not a crash.
                if (previous == KnownResourceStates.Running && state is "Exited" or "Finished" && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    _ = RestartAsync(update.ResourceId, update.Snapshot.ExitCode, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RestartAsync(string instance, int? exitCode, CancellationToken stoppingToken)
    {
        var delay = NextDelay(instance);
        logger.LogWarning("{Instance} exited without being stopped (exit code {ExitCode}); starting it again in {Delay} s.",
            instance, exitCode?.ToString() ?? "unknown", delay.TotalSeconds);
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return;
            }

            var result = await commands.ExecuteCommandAsync(instance, KnownResourceCommands.StartCommand, stoppingToken);
            if (!result.Success)
            {
                logger.LogError("Could not start {Instance} again: {Message}. Start it from the dashboard.", instance, result.Message);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private TimeSpan NextDelay(string instance)
    {
        var now = time.GetUtcNow();
        var crashes = _crashes.GetOrAdd(instance, _ => []);
        lock (crashes)
        {
            crashes.RemoveAll(crash => now - crash > CrashMemory);
            crashes.Add(now);
            var delay = FirstDelay * Math.Pow(2, crashes.Count - 1);
            return delay < LongestDelay ? delay : LongestDelay;
        }
    }
}
