using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Kills running replicas of a resource — exactly one (a random one), <paramref name="count"/>, or all of them at once
/// (<see cref="All"/>) — kill -9 of each process tree, like crashed pods, and watches the lab bring them back by
/// itself. Rollback waits for that; only if the lab does not, it starts them by hand, so the lab never stays short,
/// and the self-healing criterion fails.
/// </summary>
public sealed class KillReplicaFault(LabControlClient lab, string target, TimeProvider time, int count = 1) : IFault
{
    /// <summary>As <c>count</c>: every replica running when the fault is injected.</summary>
    public const int All = int.MaxValue;

    public const string BackBySelfSeconds = "replica-back-by-itself-s";

    /// <summary>How soon the lab started the killed replicas again by itself (running, healthy or not: its stores may be down).</summary>
    public const string RestartedBySelfSeconds = "replica-restarted-by-itself-s";

    /// <summary>How long rollback waits for the lab's own restart before starting the replica by hand.</summary>
    public static readonly TimeSpan SelfHealingWait = TimeSpan.FromSeconds(30);

    /// <summary>How long a replica the lab restarted may take to report healthy (its stores may have been down too).</summary>
    private static readonly TimeSpan HealthyWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ManualStartTimeout = TimeSpan.FromSeconds(60);

    private readonly List<string> _killed = [];
    private long _killedAt;
    private TimeSpan? _backBySelf;
    private TimeSpan? _restartedBySelf;

    public string Name => count switch
    {
        1 => "kill one replica",
        All => "kill all replicas",
        _ => $"kill {count} replicas",
    };

    public string Target { get; } = target;

    public bool TakesTargetDown => true;

    public IReadOnlyDictionary<string, double> Observations
    {
        get
        {
            var observations = new Dictionary<string, double>();
            if (_restartedBySelf is { } restarted)
            {
                observations[RestartedBySelfSeconds] = restarted.TotalSeconds;
            }

            if (_backBySelf is { } back)
            {
                observations[BackBySelfSeconds] = back.TotalSeconds;
            }

            return observations;
        }
    }

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        if (count == 1)
        {
            _killed.Add(await lab.KillOneInstanceAsync(Target, cancellationToken));
        }
        else
        {
            // Chosen first and killed back to back: a replica the lab restarts meanwhile is not killed twice.
            var running = (await lab.GetStateAsync(Target, cancellationToken)).Instances.Where(instance => instance.IsRunning).Select(instance => instance.Id).ToList();
            if (count != All && running.Count < count)
            {
                throw new InvalidOperationException($"{Target} has {running.Count} running replica(s); the fault kills {count}.");
            }

            foreach (var instance in running.Take(count))
            {
                _killed.Add(await lab.KillInstanceAsync(Target, instance, cancellationToken));
            }
        }

        _killedAt = time.GetTimestamp();
        // Seen down first, so that waiting for "back" later cannot be fooled by the state from before the kill.
        foreach (var instance in _killed)
        {
            await lab.WaitUntilInstanceAsync(Target, instance, state => !state.IsRunning, "seen down", DownTimeout, cancellationToken);
        }
    }

    /// <summary>
    /// Waits for every killed replica: restarted by the lab within <see cref="SelfHealingWait"/> (else started by hand),
    /// then healthy. The self-healing times are the last replica's, and only if all were restarted by the lab itself.
    /// </summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var allBySelf = _killed.Count > 0;
        foreach (var instance in _killed)
        {
            var remaining = SelfHealingWait - time.GetElapsedTime(_killedAt);
            try
            {
                await lab.WaitUntilInstanceAsync(Target, instance, state => state.IsRunning,
                    "restarted", remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (TimeoutException)
            {
                allBySelf = false;
                await lab.RunInstanceCommandAsync(Target, instance, "start", cancellationToken);
                await lab.WaitUntilInstanceAsync(Target, instance, state => state.IsRunning, "running", ManualStartTimeout, cancellationToken);
            }
        }

        _restartedBySelf = allBySelf ? time.GetElapsedTime(_killedAt) : null;
        foreach (var instance in _killed)
        {
            await lab.WaitUntilInstanceAsync(Target, instance, state => state.IsRunning && state.Health == "Healthy",
                "healthy", HealthyWait, cancellationToken);
        }

        _backBySelf = allBySelf ? time.GetElapsedTime(_killedAt) : null;
    }
}
