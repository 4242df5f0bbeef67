using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.Supervision;

/// <summary>
/// Watches the instances of resources marked <see cref="RestartOnCrashAnnotation"/> and starts again any that went
/// from Running straight to Exited or Finished. A commanded stop passes through Stopping first, so it is never
/// mistaken for a crash. Repeated crashes of one instance back off: 1 s, 2 s, 4 s … at most 30 s. A kill the lab
/// announced (<see cref="ExpectKill"/>, a chaos experiment's) is restarted after the first delay and builds no back-off:
/// otherwise a few experiments in a row would leave the next one's killed replica waiting 30 s, its verdict depending
/// on what ran before.
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
    private readonly ConcurrentDictionary<string, bool> _expectedKills = new();

    /// <summary>The next exit of <paramref name="instance"/> is a kill the lab is about to do on purpose.</summary>
    public void ExpectKill(string instance) => _expectedKills[instance] = true;

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
        var killed = _expectedKills.TryRemove(instance, out _);
        var delay = killed ? FirstDelay : NextDelay(instance);
        logger.LogWarning("{Instance} exited without being stopped ({Cause}); starting it again in {Delay} s.",
            instance, killed ? "killed by the lab" : $"exit code {exitCode?.ToString() ?? "unknown"}", delay.TotalSeconds);
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
