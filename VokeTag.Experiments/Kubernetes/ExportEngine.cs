namespace VokeTag.Experiments.Kubernetes;

/// <summary>A chaos engine the export writes for: its name on the command line, how people call it, and the versions it targets.</summary>
/// <param name="ResourceKinds">What to watch with <c>kubectl get … -n voketag</c> while it runs.</param>
public sealed record ExportEngine(string Name, string Title, string Versions, string ResourceKinds)
{
    public static readonly ExportEngine Litmus = new("litmus", "Litmus", "Litmus 3.x, litmuschaos.io/v1alpha1", "chaosengine,chaosresult");

    public static readonly ExportEngine ChaosMesh = new("chaos-mesh", "Chaos Mesh", "Chaos Mesh 2.8, chaos-mesh.org/v1alpha1", "podchaos,networkchaos,stresschaos,workflow");

    public static readonly IReadOnlyList<ExportEngine> All = [Litmus, ChaosMesh];

    public static ExportEngine? Find(string? name) => All.FirstOrDefault(engine => engine.Name == name?.Trim().ToLowerInvariant());

    public static string Names => string.Join(", ", All.Select(engine => engine.Name));
}
