using YamlDotNet.RepresentationModel;

namespace VokeTag.Export.Tests;

/// <summary>The checkout's experiment files exported for each engine, once, and the documents of every YAML file of a tree.</summary>
public static class Exports
{
    /// <summary>The checkout: the folder with VokeTag.Lab.sln above the test's output.</summary>
    public static readonly string Checkout = FindCheckout();

    public static readonly string BuiltIn = Path.Combine(Checkout, "experiments");

    private static readonly Lazy<KubernetesTree> LitmusTree = new(() => KubernetesExport.Build(ExperimentFolder.Read(BuiltIn), ExportEngine.Litmus));
    private static readonly Lazy<KubernetesTree> ChaosMeshTree = new(() => KubernetesExport.Build(ExperimentFolder.Read(BuiltIn), ExportEngine.ChaosMesh));

    public static KubernetesTree Tree(ExportEngine engine) => engine == ExportEngine.Litmus ? LitmusTree.Value : ChaosMeshTree.Value;

    public static KubernetesTree Tree(string engine) => Tree(ExportEngine.Find(engine)!);

    public static TheoryData<string> Engines => new(ExportEngine.All.Select(engine => engine.Name));

    /// <summary>Every document of every .yaml file but the kustomizations and the copied experiment files, with where it is.</summary>
    public static IEnumerable<Manifest> Manifests(KubernetesTree tree) =>
        tree.Files.Where(file => file.Path.EndsWith(".yaml", StringComparison.Ordinal)
                && Path.GetFileName(file.Path) is not ("kustomization.yaml" or WorkerManifests.ExperimentFile))
            .SelectMany(file => Split(file.Text).Select((text, index) => new Manifest(file.Path, index, Document(text), text)));

    /// <summary>The documents of a multi-document file as the export writes them (<c>---</c> lines between), each as its text.</summary>
    public static IReadOnlyList<string> Split(string yaml) =>
        [.. ("\n" + yaml).Split("\n---\n").Select(text => text.TrimStart('\n')).Where(text => text.Length > 0)];

    public static YamlMappingNode Document(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>Writes the tree into a new temporary folder.</summary>
    public static string WriteToTemp(KubernetesTree tree)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"voketag-export-{Guid.NewGuid():N}");
        KubernetesExport.Write(tree, folder);
        return folder;
    }

    private static string FindCheckout()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VokeTag.Lab.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No VokeTag.Lab.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One document of an exported file.</summary>
/// <param name="Yaml">The document's own text, as written.</param>
public sealed record Manifest(string File, int Index, YamlMappingNode Node, string Yaml)
{
    public string ApiVersion => Text("apiVersion");

    public string Kind => Text("kind");

    public string Name => Node.Children.TryGetValue("metadata", out var metadata) && metadata is YamlMappingNode map && map.Children.TryGetValue("name", out var name)
        ? ((YamlScalarNode)name).Value!
        : "";

    public override string ToString() => $"{File}#{Index} {Kind} {Name}";

    private string Text(string key) => Node.Children.TryGetValue(key, out var value) ? ((YamlScalarNode)value).Value ?? "" : "";
}
