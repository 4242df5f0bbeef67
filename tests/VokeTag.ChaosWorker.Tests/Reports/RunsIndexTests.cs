using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using VokeTag.ChaosWorker.Reports;

namespace VokeTag.ChaosWorker.Tests.Reports;

public sealed class RunsIndexTests : IDisposable
{
    private readonly DirectoryInfo _runs = Directory.CreateTempSubdirectory("voketag-runs-index-");

    [Fact]
    public void Lists_runs_newest_first_with_their_verdict_duration_and_reports()
    {
        Run("20261206-100000-redis-failure-aaaaaa", "redis-failure", "passed", "2026-12-06T10:00:00Z", "2026-12-06T10:01:05Z");
        Run("20261206-110000-database-failure-bbbbbb", "database-failure", "failed", "2026-12-06T11:00:00Z", "2026-12-06T11:00:40Z");

        var runs = Index().Runs();

        Assert.Equal(["20261206-110000-database-failure-bbbbbb", "20261206-100000-redis-failure-aaaaaa"], runs.Select(run => run.RunId));
        Assert.Equal(TimeSpan.FromSeconds(65), runs[1].Duration);
        Assert.Equal("report.html", runs[0].Files[0]);
        var page = Index().Render();
        Assert.Contains("href=\"/reports/20261206-100000-redis-failure-aaaaaa/report.html\"", page, StringComparison.Ordinal);
        Assert.Contains("data-status=\"failed\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_folders_that_are_not_finished_runs_and_encodes_what_files_say()
    {
        Directory.CreateDirectory(Path.Combine(_runs.FullName, "half-written"));
        File.WriteAllText(Path.Combine(_runs.FullName, "half-written", "run.json"), "{\"runId\":");
        Run("r1", "<script>alert(1)</script>", "passed", "2026-12-06T10:00:00Z", "2026-12-06T10:00:30Z");

        var page = Index().Render();

        Assert.Single(Index().Runs());
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_folder_says_how_to_start_a_run() =>
        Assert.Contains("No run yet", Index().Render(), StringComparison.Ordinal);

    public void Dispose() => _runs.Delete(recursive: true);

    private RunsIndex Index() => new(new RunReporter([],
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Chaos:RunsDirectory"] = _runs.FullName }).Build(),
        NullLogger<RunReporter>.Instance));

    private void Run(string runId, string experiment, string status, string startedAt, string endedAt)
    {
        var folder = Directory.CreateDirectory(Path.Combine(_runs.FullName, runId)).FullName;
        File.WriteAllText(Path.Combine(folder, "run.json"),
            $$"""{"runId":"{{runId}}","experiment":"{{experiment}}","title":"t","status":"{{status}}","startedAt":"{{startedAt}}","endedAt":"{{endedAt}}"}""");
        File.WriteAllText(Path.Combine(folder, "summary.md"), "#");
        File.WriteAllText(Path.Combine(folder, "report.html"), "<html>");
    }
}
