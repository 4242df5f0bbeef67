using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// A fault the API applies to itself through its chaos hook, on <see cref="Replicas"/> of its running replicas (every one
/// by default). A hook call lands on the replica Aspire's proxy picks and names it, so the fault calls until enough
/// different replicas have answered. What a hook applies carries its own deadline, so it ends by itself even if the
/// worker dies; rollback lifts it at once.
/// </summary>
public abstract class ReplicaHookFault(LabControlClient lab, int replicas) : IFault
{
    /// <summary>Enough calls for the proxy to have routed at least one to each replica.</summary>
    private const int Attempts = 40;

    private readonly HashSet<string> _applied = [];

    public abstract string Name { get; }

    public string Target => "api";

    /// <summary>How many replicas it acts on; <see cref="FaultDefinition.AllReplicas"/> for every running one.</summary>
    protected int Replicas => replicas;

    /// <summary>The replicas it was applied to, in order.</summary>
    protected IEnumerable<string> Applied => _applied.Order();

    /// <summary>How long what the hook applies lasts if nobody lifts it.</summary>
    protected abstract TimeSpan Lasts { get; }

    /// <summary>"every replica", "1 replica", or once applied the replicas by name.</summary>
    protected string OnWhich => _applied.Count > 0
        ? $"on {string.Join(", ", Applied)}"
        : replicas == FaultDefinition.AllReplicas ? "on every replica" : $"on {replicas} replica{(replicas == 1 ? "" : "s")}";

    /// <returns>The replica that took it.</returns>
    protected abstract Task<string> ApplyOnceAsync(CancellationToken cancellationToken);

    /// <returns>The replica that took it (lifting where nothing is applied is harmless).</returns>
    protected abstract Task<string> LiftOnceAsync(CancellationToken cancellationToken);

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var running = (await lab.GetStateAsync(Target, cancellationToken)).Instances.Count(instance => instance.IsRunning);
        if (replicas != FaultDefinition.AllReplicas && replicas > running)
        {
            throw new InvalidOperationException($"{Name}: asks for {replicas} replicas but {running} are running.");
        }

        var wanted = Math.Min(replicas, running);
        for (var attempt = 0; attempt < Attempts && _applied.Count < wanted; attempt++)
        {
            _applied.Add(await ApplyOnceAsync(cancellationToken));
        }

        if (_applied.Count < wanted)
        {
            throw new InvalidOperationException($"{Name}: reached {_applied.Count} of {wanted} replicas in {Attempts} calls.");
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        var pending = new HashSet<string>(_applied);
        for (var attempt = 0; attempt < Attempts && pending.Count > 0; attempt++)
        {
            pending.Remove(await LiftOnceAsync(cancellationToken));
        }

        if (pending.Count > 0)
        {
            throw new InvalidOperationException(
                $"could not reach {string.Join(", ", pending)} in {Attempts} calls; the fault ends by itself within {Lasts.TotalSeconds:0} s.");
        }
    }
}
