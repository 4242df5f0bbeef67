using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

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
        var page = new StringBuilder();
        page.Append("""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><title>VokeTag chaos runs</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1f2328; }
            table { border-collapse: collapse; width: 100%; }
            th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #d0d7de; vertical-align: top; }
            th { background: #f6f8fa; }
            .status { font-weight: 600; padding: .1rem .45rem; border-radius: .3rem; color: #fff; background: #6e7781; }
            .status.passed { background: #1a7f37; } .status.failed, .status.aborted, .status.error { background: #cf222e; }
            a { color: #0969da; } .files a { margin-right: .6rem; } .empty { color: #6e7781; }
            </style></head>
            <body><main id="runs-index">
            <h1>Chaos runs</h1>
            <p>Newest first. Each run's folder holds its reports; <code>report.html</code> has the charts.</p>
            """);
        var runs = Runs();
        if (runs.Count == 0)
        {
            page.Append("<p class=\"empty\">No run yet. Start one from the dashboard (<b>chaos</b> → a Run command).</p>");
        }
        else
        {
            page.Append("<table id=\"runs\"><thead><tr><th>Started (UTC)</th><th>Verdict</th><th>Experiment</th><th>Duration</th><th>Run id</th><th>Reports</th></tr></thead><tbody>");
            foreach (var run in runs)
            {
                var id = Encode(run.RunId);
                page.Append(CultureInfo.InvariantCulture,
                    $"<tr class=\"run\" data-run-id=\"{id}\" data-status=\"{Encode(run.Status)}\"><td>{run.StartedAt:yyyy-MM-dd HH:mm:ss}</td>")
                    .Append(CultureInfo.InvariantCulture, $"<td><span class=\"status {Encode(run.Status)}\">{Encode(run.Status.ToUpperInvariant())}</span></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{Encode(run.Experiment)}<br><small>{Encode(run.Title)}</small></td>")
                    .Append(CultureInfo.InvariantCulture, $"<td>{run.Duration.TotalSeconds:0} s</td><td><code>{id}</code></td><td class=\"files\">");
                foreach (var file in run.Files)
                {
                    page.Append(CultureInfo.InvariantCulture, $"<a href=\"{Link(run.RunId, file)}\">{Encode(file)}</a>");
                }

                page.Append("</td></tr>");
            }

            page.Append("</tbody></table>");
        }

        if (GameDays() is { Count: > 0 } gameDays)
        {
            page.Append("<h2>Game days</h2><ul id=\"gamedays\">");
            foreach (var gameDay in gameDays)
            {
                page.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Link(GameDaysFolder, gameDay, "gameday.html")}\">{Encode(gameDay)}</a></li>");
            }

            page.Append("</ul>");
        }

        return page.Append("</main></body></html>").ToString();
    }

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

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>A run as the index lists it.</summary>
public sealed record IndexedRun(string RunId, string Experiment, string Title, string Status, DateTimeOffset StartedAt, TimeSpan Duration, IReadOnlyList<string> Files);
