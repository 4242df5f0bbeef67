using VokeTag.ChaosWorker.Experiments;
using VokeTag.Experiments.ChaosToolkit;
using YamlDotNet.RepresentationModel;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

/// <summary>
/// How the loader tells a Chaos Toolkit file from one of ours (by its shape, never by its extension), and how both
/// live in one folder: names are unique across the two formats.
/// </summary>
public sealed class ToolkitDetectionTests
{
    /// <summary>One of the lab's own files, named NAME.</summary>
    private static readonly string OwnFile = Definitions.MalformedFileTests.Valid.Replace("name: tiny", "name: NAME");

    private const string ToolkitFile = """
        {"title": "Stop the cache", "description": "A Chaos Toolkit file.", "method": [{"type": "action", "name": "stop", "provider": {"type": "lab", "fault": "stop", "target": "cache"}}]}
        """;

    [Fact]
    public void The_labs_own_files_are_not_toolkit_files()
    {
        Assert.All(ExperimentFolder.Files(BuiltIn.Folder), file => Assert.False(ToolkitFileReader.LooksLikeToolkit(Root(File.ReadAllText(file))), file));
        Assert.False(ToolkitFileReader.LooksLikeToolkit(Root(OwnFile)));
        Assert.False(ToolkitFileReader.LooksLikeToolkit(Root(OwnFile.Replace("name: NAME\n", ""))));
    }

    [Fact]
    public void Every_toolkit_fixture_is_told_by_its_shape()
    {
        var files = Directory.GetFiles(Path.Combine(ToolkitFileTests.Folder, "valid"))
            .Concat(Directory.GetFiles(Path.Combine(ToolkitFileTests.Folder, "malformed")))
            .Where(file => Path.GetFileName(file) is not ("multi-document.yaml" or "invalid-json.json"));

        Assert.All(files, file => Assert.True(ToolkitFileReader.LooksLikeToolkit(Root(File.ReadAllText(file))), file));
    }

    [Theory]
    [InlineData("title: T\ndescription: D", true)]
    [InlineData("steady-state-hypothesis: {title: T}", true)]
    [InlineData("method: []", true)]
    [InlineData("chaoslib-version: 1.45.0", true)]
    [InlineData("title: T\ndescription: D\nfaults: []", false)]
    [InlineData("title: T", false)]
    [InlineData("- method: []", false)]
    [InlineData("apiVersion: v1\nkind: ConfigMap\ndata:\n  settings.json: '{\"a\": 1}'", false)]
    public void A_file_is_a_toolkit_file_by_its_keys(string yaml, bool toolkit)
    {
        Assert.Equal(toolkit, ToolkitFileReader.LooksLikeToolkit(Root(yaml)));
    }

    [Theory]
    [InlineData("experiments/My Experiment_v2.JSON", "my-experiment-v2")]
    [InlineData("redis.failure.yaml", "redis-failure")]
    [InlineData("pod-kill.yml", "pod-kill")]
    public void A_toolkit_experiment_is_named_after_its_file(string file, string name)
    {
        Assert.Equal(name, ToolkitFileReader.NameOf(file));
    }

    [Fact]
    public void A_folder_holds_both_formats()
    {
        using var folder = new TemporaryFolder();
        folder.Write("stop-cache.json", ToolkitFile);
        folder.Write("tiny.yaml", OwnFile.Replace("NAME", "tiny"));

        var results = ExperimentFolder.Read(folder.Path);

        Assert.Equal(["stop-cache", "tiny"], results.Select(result => result.Name));
        Assert.All(results, result => Assert.True(result.IsValid));
        Assert.Equal("Stop the cache", results[0].Toolkit!.Title);
        Assert.EndsWith("stop-cache.json", results[0].Toolkit!.Source);
    }

    [Fact]
    public void A_name_is_unique_across_both_formats()
    {
        using var folder = new TemporaryFolder();
        folder.Write("a.yaml", OwnFile.Replace("NAME", "stop-cache"));
        folder.Write("stop-cache.json", ToolkitFile);
        folder.Write("tiny.json", ToolkitFile);
        folder.Write("z.yaml", OwnFile.Replace("NAME", "tiny"));

        var results = ExperimentFolder.Read(folder.Path, Path.GetFileName);

        Assert.Equal(
            [
                "",
                "stop-cache.json:1:1: 'stop-cache' (from its file name) is the name of a.yaml already; experiment names are unique.",
                "",
                "z.yaml:1:1: name: 'tiny' is the name of tiny.json already; experiment names are unique.",
            ],
            results.Select(result => string.Join("\n", result.Problems)));
        Assert.Equal([true, false, true, false], results.Select(result => result.IsValid));
    }

    [Fact]
    public void A_toolkit_file_in_the_workers_folder_runs_by_its_file_name_beside_the_labs_own()
    {
        using var folder = new TemporaryFolder();
        folder.Write("stop-cache.json", ToolkitFile);
        folder.Write("tiny.yaml", OwnFile.Replace("NAME", "tiny"));

        var catalog = new ExperimentCatalog(folder.Path);

        Assert.Equal("stop-cache, tiny", catalog.KnownNames);
        Assert.IsType<VokeTag.ChaosWorker.Toolkit.ToolkitFileExperiment>(catalog.Find("stop-cache", out _));
        Assert.Empty(catalog.Invalid);
    }

    [Fact]
    public void A_json_toolkit_file_is_read_as_strictly_as_python_reads_it()
    {
        const string withComment = "{\n  // a comment\n  \"title\": \"T\", \"description\": \"D\", \"method\": []\n}";

        Assert.True(ExperimentFileReader.Parse(withComment.Replace("  // a comment\n", ""), "t.json").IsValid);
        Assert.Equal("t.json:2:3: is not valid JSON",
            ExperimentFileReader.Parse(withComment, "t.json").Problems.Single().ToString()[..29]);
        Assert.True(ExperimentFileReader.Parse(withComment.Replace("// a comment", "# a comment"), "t.yaml").IsValid);
    }

    private static YamlNode Root(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }

    private sealed class TemporaryFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("toolkit-").FullName;

        public void Write(string file, string text) => File.WriteAllText(System.IO.Path.Combine(Path, file), text);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
