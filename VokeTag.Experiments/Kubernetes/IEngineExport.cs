namespace VokeTag.Experiments.Kubernetes;

/// <summary>Turns one experiment file into one engine's resources, or says which of its faults the engine cannot inject.</summary>
public interface IEngineExport
{
    ExportEngine Engine { get; }

    EngineResources Export(ExperimentDefinition experiment);
}

/// <summary>
/// An experiment as an engine's resources (<see cref="Documents"/>, one file), with what became of each fault and each
/// criterion. When a fault has no equivalent there are no documents: a file is exported whole or not at all.
/// </summary>
/// <param name="Resources">The engine's own resources by kind and name (<c>ChaosEngine redis-failure</c>), for the report.</param>
public sealed record EngineResources(
    IReadOnlyList<FaultMapping> Faults,
    IReadOnlyList<ManifestMap> Documents,
    IReadOnlyList<HttpProbe> Probes,
    IReadOnlyList<WorkerOnlyCriterion> WorkerOnly,
    IReadOnlyList<string> Resources)
{
    public bool Exported => Documents.Count > 0;

    public static EngineResources NotExported(IReadOnlyList<FaultMapping> faults) => new(faults, [], [], [], []);

    /// <summary>Every criterion, probed or not, judged by the worker only: for engines without probes.</summary>
    public static IReadOnlyList<WorkerOnlyCriterion> AllByWorker(ExperimentDefinition experiment, string why) =>
        [.. experiment.Criteria.Select(criterion => new WorkerOnlyCriterion(criterion.Name, criterion.Statement, why)), .. HttpProbes.Ledger];
}
