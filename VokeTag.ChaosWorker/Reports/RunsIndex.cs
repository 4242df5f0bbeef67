using System.Globalization;
using System.Text.Json;
using VokeTag.ChaosWorker.Reports.Html;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>
/// The runs folder as a page, newest first: each run's verdict, experiment, start and duration, and links to its reports;
/// then the game days. Read from the files, so runs of earlier labs that wrote to the same folder are listed too.
/// </summary>
public sealed class RunsIndex(RunReporter reporter)
{
    /// <summary>Where game days write theirs, inside the runs folder.</summary>
    public const string GameDaysFolder = "gamedays";

    public IReadOnlyList<IndexedRun> Runs() =>
        Directory.Exists(reporter.RunsDirectory)
            ? [.. Directory.EnumerateDirectories(reporter.RunsDirectory).Select(Read).OfType<IndexedRun>().OrderByDescending(run => run.StartedAt)]
            : [];

    public IReadOnlyList<string> GameDays()
    {
        var folder = Path.Combine(reporter.RunsDirectory, GameDaysFolder);
        return Directory.Exists(folder)
            ? [.. Directory.EnumerateDirectories(folder)
                .Where(gameDay => File.Exists(Path.Combine(gameDay, "gameday.html")))
                .OrderByDescending(Directory.GetLastWriteTimeUtc)
                .Select(gameDay => Path.GetFileName(gameDay))]
            : [];
    }

    public string Render()
    {
        var runs = Runs();
        var page = new HtmlPage("Chaos runs").Data("runs", runs.Count.ToString(CultureInfo.InvariantCulture));
        page.Section("runs-index", "Runs, newest first", runs.Count == 0
            ? "<p class=\"empty\">No run yet. Start one from the dashboard (<b>chaos</b> → a Run command).</p>"
            : $"<table id=\"runs\"><thead><tr><th>started (UTC)</th><th>verdict</th><th>experiment</th><th>duration</th><th>run id</th><th>reports</th></tr></thead><tbody>\n{string.Concat(runs.Select(Row))}</tbody></table>");
        if (GameDays() is { Count: > 0 } gameDays)
        {
            page.Section("gamedays", "Game days", "<ul>" + string.Concat(gameDays.Select(gameDay =>
                $"<li><a href=\"{Link(GameDaysFolder, gameDay, "gameday.html")}\">{HtmlPage.Encode(gameDay)}</a></li>")) + "</ul>");
        }

        return page.Render();
    }

    private static string Row(IndexedRun run) =>
        $"<tr class=\"run\" data-run-id=\"{HtmlPage.Encode(run.RunId)}\" data-status=\"{HtmlPage.Encode(run.Status)}\">" +
        $"<td>{run.StartedAt:yyyy-MM-dd HH:mm:ss}</td><td>{HtmlPage.StatusBadge(run.Status)}</td>" +
        $"<td>{HtmlPage.Encode(run.Experiment)}<br><small>{HtmlPage.Encode(run.Title)}</small></td>" +
        $"<td>{run.Duration.TotalSeconds:0} s</td><td><code>{HtmlPage.Encode(run.RunId)}</code></td>" +
        $"<td>{string.Concat(run.Files.Select(file => $"<a href=\"{Link(run.RunId, file)}\">{HtmlPage.Encode(file)}</a> "))}</td></tr>\n";

    private static IndexedRun? Read(string folder)
    {
        var record = Path.Combine(folder, "run.json");
        if (!File.Exists(record))
        {
            return null;
        }

        try
        {
            using var json = JsonDocument.Parse(File.ReadAllText(record));
            var root = json.RootElement;
            var files = Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>()
                .OrderBy(file => file == "report.html" ? 0 : 1).ThenBy(file => file, StringComparer.Ordinal).ToList();
            return new IndexedRun(
                root.GetProperty("runId").GetString() ?? Path.GetFileName(folder),
                root.GetProperty("experiment").GetString() ?? "",
                root.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "",
                root.GetProperty("status").GetString() ?? "",
                root.GetProperty("startedAt").GetDateTimeOffset(),
                root.GetProperty("endedAt").GetDateTimeOffset() - root.GetProperty("startedAt").GetDateTimeOffset(),
                files);
        }
        catch (Exception exception) when (exception is JsonException or IOException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null; // a run still being written, or not a run's folder
        }
    }

    private static string Link(params string[] segments) => "/reports/" + string.Join('/', segments.Select(Uri.EscapeDataString));

}

/// <summary>A run as the index lists it.</summary>
public sealed record IndexedRun(string RunId, string Experiment, string Title, string Status, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<string> Files);
