namespace VokeTag.Export.Tests;

/// <summary>
/// A file with a fault the engine has no equivalent for is reported by that fault's name and written not at all, not
/// half; the other files of the folder are written. Chaos Toolkit files and files with problems are named and skipped.
/// </summary>
public sealed class UnsupportedFaultTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"voketag-export-source-{Guid.NewGuid():N}");

    public UnsupportedFaultTests()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "stop-cache.yaml"), Experiment("stop-cache", "  - kind: stop\n    target: cache\n"));
        // A fault both engines take, and one neither does: nothing of the file may be written.
        File.WriteAllText(Path.Combine(_folder, "half.yaml"), Experiment("half", "  - kind: stop\n    target: cache\n  - kind: call-error\n    target: db\n    share: 5%\n"));
        File.WriteAllText(Path.Combine(_folder, "reset-db.yaml"), Experiment("reset-db", "  - kind: reset\n    target: db-proxy\n"));
        File.WriteAllText(Path.Combine(_folder, "broken.yaml"), "name: broken\n");
        File.Copy(Path.Combine(Exports.BuiltIn, "chaostoolkit", "api-smoke.yaml"), Path.Combine(_folder, "api-smoke.yaml"));
    }

    [Theory]
    [MemberData(nameof(Exports.Engines), MemberType = typeof(Exports))]
    public void A_file_with_a_fault_without_equivalent_is_named_and_nothing_of_it_is_written(string engine)
    {
        var tree = KubernetesExport.Build(ExperimentFolder.Read(_folder), ExportEngine.Find(engine)!);
        var half = tree.Experiments.Single(export => export.Name == "half");

        Assert.Equal(ExportStatus.NoEquivalent, half.Status);
        Assert.Contains("call-error db has no equivalent", half.Why, StringComparison.Ordinal);
        Assert.DoesNotContain(tree.Files, file => file.Path.StartsWith("experiments/half/", StringComparison.Ordinal));
        Assert.Contains("reset db-proxy has no equivalent", tree.Experiments.Single(export => export.Name == "reset-db").Why, StringComparison.Ordinal);
        Assert.Equal(ExportStatus.Exported, tree.Experiments.Single(export => export.Name == "stop-cache").Status);
        Assert.Contains(tree.Files, file => file.Path == "experiments/stop-cache/chaos.yaml");
    }

    [Fact]
    public void The_report_says_per_file_what_was_exported_and_what_was_not_and_why()
    {
        var tree = KubernetesExport.Build(ExperimentFolder.Read(_folder), ExportEngine.Litmus);
        var output = new StringWriter();

        ExportReport.Write(tree, "out", output);

        var text = output.ToString();
        Assert.Contains("stop-cache             exported: experiments/stop-cache/ (ChaosEngine stop-cache)", text, StringComparison.Ordinal);
        Assert.Contains("half                   NOT exported (half.yaml): call-error db has no equivalent in Litmus", text, StringComparison.Ordinal);
        Assert.Contains("api-smoke              NOT exported (api-smoke.yaml): a Chaos Toolkit file", text, StringComparison.Ordinal);
        Assert.Contains("broken.yaml            NOT exported (broken.yaml):", text, StringComparison.Ordinal);
        Assert.Contains("is missing", text, StringComparison.Ordinal);
        Assert.Contains("1 of 5 experiment file(s) exported; not: api-smoke (Chaos Toolkit file), broken.yaml (has problems), half (call-error db), reset-db (reset db-proxy).", text, StringComparison.Ordinal);
        Assert.Contains("| `half.yaml` | no | stop cache → pod-delete of statefulset redis every 5s, for 20s (Litmus has no fault that keeps a pod down: it comes back between deletions)<br>call-error db: none (it acts inside the API", tree.Text("README.md"), StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_again_removes_the_folders_of_experiments_no_longer_exported_and_nothing_else()
    {
        var out_ = Exports.WriteToTemp(KubernetesExport.Build(ExperimentFolder.Read(_folder), ExportEngine.Litmus));
        try
        {
            var mine = Path.Combine(out_, "experiments", "mine");
            Directory.CreateDirectory(mine);
            File.WriteAllText(Path.Combine(mine, "kustomization.yaml"), "resources: []\n");
            File.Delete(Path.Combine(_folder, "stop-cache.yaml"));

            KubernetesExport.Write(KubernetesExport.Build(ExperimentFolder.Read(_folder), ExportEngine.Litmus), out_);

            Assert.False(Directory.Exists(Path.Combine(out_, "experiments", "stop-cache")));
            Assert.True(File.Exists(Path.Combine(mine, "kustomization.yaml")));
        }
        finally
        {
            Directory.Delete(out_, recursive: true);
        }
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string Experiment(string name, string faults) => $"""
        name: {name}
        title: {name}
        description: A test file.
        hypothesis: Nothing is answered 500.
        faults:
        {faults.TrimEnd('\n')}
        criteria:
          - name: status-500
            statement: No request is answered with 500
            metric: status-count
            statuses: [500]
            phase: [impact, recovery]
            comparison: "<="
            threshold: 0

        """;
}
