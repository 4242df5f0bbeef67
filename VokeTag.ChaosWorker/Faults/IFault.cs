namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// One fault an experiment injects into the lab. <see cref="RollbackAsync"/> must undo <see cref="InjectAsync"/>
/// completely and must be safe to call after a failed or partial inject.
/// </summary>
public interface IFault
{
    /// <summary>e.g. <c>stop</c>.</summary>
    string Name { get; }

    /// <summary>The lab resource it acts on, e.g. <c>cache</c>.</summary>
    string Target { get; }

    Task InjectAsync(CancellationToken cancellationToken);

    Task RollbackAsync(CancellationToken cancellationToken);

    /// <summary>True when the fault stops or kills its target, so guardrails do not count that resource as broken.</summary>
    bool TakesTargetDown => false;

    /// <summary>What the fault saw of the lab's reaction (e.g. how soon a killed replica came back), for criteria.</summary>
    IReadOnlyDictionary<string, double> Observations => new Dictionary<string, double>();
}
