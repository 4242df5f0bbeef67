namespace VokeTag.Experiments.Kubernetes.ChaosMesh;

/// <summary>
/// One fault as a Chaos Mesh chaos: its kind (<c>PodChaos</c>, <c>NetworkChaos</c>, <c>StressChaos</c>), its spec, and
/// when it acts. Written alone, or as a template of a Workflow (under <see cref="TemplateField"/>).
/// </summary>
public sealed record ChaosMeshFault(FaultDefinition Source, string Kind, ManifestMap Spec, FaultTiming Timing)
{
    /// <summary>The Workflow template's field for the spec: <c>podChaos</c>, <c>networkChaos</c>, <c>stressChaos</c>.</summary>
    public string TemplateField => char.ToLowerInvariant(Kind[0]) + Kind[1..];

    /// <summary>A name for it among the experiment's faults: <c>stop-cache</c>.</summary>
    public string Name => $"{Source.Kind}-{Source.Target}";
}
