namespace VokeTag.Experiments.Kubernetes;

/// <summary>What the export made of one experiment file.</summary>
public enum ExportStatus
{
    /// <summary>Written whole: the engine's resources, the worker Job, the kustomization.</summary>
    Exported,

    /// <summary>A fault has no equivalent in the engine: nothing written.</summary>
    NoEquivalent,

    /// <summary>The file has problems (as <c>Chaos:Validate</c> reports them): nothing written.</summary>
    Invalid,

    /// <summary>A Chaos Toolkit file: its activities are providers of the lab, not faults an engine knows.</summary>
    ChaosToolkit,

    /// <summary>A Kubernetes name made from the experiment's would be longer than Kubernetes allows: nothing written.</summary>
    NameTooLong,
}

/// <summary>One experiment file's export: its status, the engine's resources when written, and why not otherwise.</summary>
/// <param name="File">The file as the command shows it.</param>
/// <param name="Why">For a file not exported: what stands in the way, in one sentence.</param>
/// <param name="Problems">For an invalid file: every problem, as <c>Chaos:Validate</c> prints them.</param>
public sealed record ExperimentExport(
    string File, string? Name, ExportStatus Status, EngineResources? Resources, string? Why = null, IReadOnlyList<DefinitionProblem>? Problems = null)
{
    public bool Exported => Status == ExportStatus.Exported;

    /// <summary>The folder of its files in the tree, when exported.</summary>
    public string? Folder => Exported ? $"experiments/{Name}/" : null;
}
