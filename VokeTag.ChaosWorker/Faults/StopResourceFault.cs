using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Stops a lab resource (e.g. Redis, PostgreSQL) through Aspire, as the dashboard's Stop button does, and starts it
/// again on rollback. The dashboard shows both state changes.
/// </summary>
public sealed class StopResourceFault(LabControlClient lab, string target) : IFault
{
    private static readonly TimeSpan StateChangeTimeout = TimeSpan.FromSeconds(60);

    public string Name => "stop";

    public string Target { get; } = target;

    public bool TakesTargetDown => true;

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        await lab.RunCommandAsync(Target, "stop", cancellationToken);
        await lab.WaitUntilAsync(Target, instance => instance.IsStopped, "stopped", StateChangeTimeout, cancellationToken);
    }

    /// <summary>Starts the resource and returns once it runs; recovery is measured from here, health included.</summary>
    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var state = await lab.GetStateAsync(Target, cancellationToken);
        if (state.Instances.All(instance => instance.IsRunning))
        {
            return;
        }

        await lab.RunCommandAsync(Target, "start", cancellationToken);
        await lab.WaitUntilAsync(Target, instance => instance.IsRunning, "running", StateChangeTimeout, cancellationToken);
    }
}
