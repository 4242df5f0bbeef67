namespace VokeTag.Export.Tests;

/// <summary>
/// The same files give the same bytes, so that teams can commit and review the export; the committed tree
/// (<c>deploy/k8s</c>, Litmus) and the design document's example (<c>tests/chaos/k8s/redis-pod-delete.yaml</c>) are
/// what the exporter writes today.
/// </summary>
public class DeterminismTests
{
    [Theory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public void Exporting_twice_writes_identical_bytes(string engine)
    {
        var first = Exports.WriteToTemp(KubernetesExport.Build(ExperimentFolder.Read(Exports.BuiltIn), ExportEngine.Find(engine)!));
        var second = Exports.WriteToTemp(KubernetesExport.Build(ExperimentFolder.Read(Exports.BuiltIn), ExportEngine.Find(engine)!));
        try
        {
            Assert.Equal(Files(first).Select(file => file.Path), Files(second).Select(file => file.Path));
            Assert.All(Files(first).Zip(Files(second)), pair => Assert.True(pair.First.Bytes.SequenceEqual(pair.Second.Bytes), $"{pair.First.Path} differs"));
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void The_committed_tree_is_what_the_exporter_writes()
    {
        var committed = Path.Combine(Exports.Checkout, KubernetesExport.DefaultOut);
        var tree = Exports.Tree(ExportEngine.Litmus);
        var stale = $"{KubernetesExport.DefaultOut} is out of date: run dotnet run --project VokeTag.AppHost -- Chaos:Export=k8s Chaos:Engine=litmus";

        Assert.Equal(tree.Files.Select(file => file.Path),
            Files(committed).Select(file => file.Path).Where(path => path != LabManifests.EnvFile));
        Assert.All(tree.Files, file => Assert.True(File.ReadAllText(Path.Combine(committed, file.Path)) == file.Text, $"{file.Path}: {stale}"));
    }

    [Fact]
    public void The_design_documents_example_is_the_litmus_export_of_redis_failure()
    {
        var example = File.ReadAllText(Path.Combine(Exports.Checkout, KubernetesExport.DesignDocumentExample));
        var exported = Exports.Tree(ExportEngine.Litmus).Text($"experiments/{KubernetesExport.DesignDocumentExperiment}/chaos.yaml");

        Assert.Equal(exported, example);
        Assert.Contains("kind: ChaosEngine", example, StringComparison.Ordinal);
        Assert.Contains("- name: pod-delete", example, StringComparison.Ordinal);
        Assert.Contains("namespace: voketag", example, StringComparison.Ordinal);
    }

    [Fact]
    public void No_file_holds_a_machine_or_an_absolute_path()
    {
        foreach (var engine in ExportEngine.All)
        {
            Assert.All(Exports.Tree(engine).Files, file =>
            {
                Assert.DoesNotContain(Exports.Checkout, file.Text, StringComparison.Ordinal);
                Assert.DoesNotContain(Environment.MachineName, file.Text, StringComparison.Ordinal);
                Assert.DoesNotContain("\r", file.Text, StringComparison.Ordinal);
            });
        }
    }

    private static IReadOnlyList<(string Path, byte[] Bytes)> Files(string folder) =>
    [
        .. Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .Select(path => (Path.GetRelativePath(folder, path).Replace('\\', '/'), File.ReadAllBytes(path)))
            .OrderBy(file => file.Item1, StringComparer.Ordinal),
    ];
}
