using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Kills exactly one running replica of a resource (kill -9 of its process tree, like a crashed pod) and watches
/// the lab bring it back by itself. Rollback waits for that; only if the lab does not, it starts the replica by
/// hand, so the lab never stays a replica short, and the self-healing criterion fails.
/// </summary>
public sealed class KillReplicaFault(LabControlClient lab, string target, TimeProvider time) : IFault
{
    public const string BackBySelfSeconds = "replica-back-by-itself-s";

    /// <summary>How long rollback waits for the lab's own restart before starting the replica by hand.</summary>
    public static readonly TimeSpan SelfHealingWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan DownTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ManualStartTimeout = TimeSpan.FromSeconds(60);

    private string? _killed;
    private long _killedAt;
    private TimeSpan? _backBySelf;

    public string Name => "kill one replica";

    public string Target { get; } = target;

    public bool TakesTargetDown => true;

    public IReadOnlyDictionary<string, double> Observations => _backBySelf is { } back
        ? new Dictionary<string, double> { [BackBySelfSeconds] = back.TotalSeconds }
        : new Dictionary<string, double>();

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        _killed = await lab.KillOneInstanceAsync(Target, cancellationToken);
        _killedAt = time.GetTimestamp();
        // Seen down first, so that waiting for "back" later cannot be fooled by the state from before the kill.
        await lab.WaitUntilInstanceAsync(Target, _killed, state => !state.IsRunning, "seen down", DownTimeout, cancellationToken);
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (_killed is not { } instance)
        {
            return;
        }

        var remaining = SelfHealingWait - time.GetElapsedTime(_killedAt);
        try
        {
            await lab.WaitUntilInstanceAsync(Target, instance, state => state.IsRunning && state.Health == "Healthy",
                "back and healthy", remaining > TimeSpan.Zero ? remaining : TimeSpan.FromSeconds(1), cancellationToken);
            _backBySelf = time.GetElapsedTime(_killedAt);
        }
        catch (TimeoutException)
        {
            await lab.RunInstanceCommandAsync(Target, instance, "start", cancellationToken);
            await lab.WaitUntilInstanceAsync(Target, instance, state => state.IsRunning, "running", ManualStartTimeout, cancellationToken);
        }
    }
}
