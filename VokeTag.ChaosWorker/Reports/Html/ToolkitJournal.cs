using System.Text.Json.Nodes;
using ScottPlot;
using static VokeTag.ChaosWorker.Reports.Html.HtmlPage;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>A Chaos Toolkit run's journal on the page: its activities in order (steady state before, method, after, rollbacks) and how long each took.</summary>
public static class ToolkitJournal
{
    private sealed record Activity(string Section, string Type, string Name, string Status, string? ToleranceMet, string Start, string End, double Duration);

    public static string Render(JsonObject journal)
    {
        var activities = Activities(journal);
        var summary = $"<p>Journal status {StatusBadge(journal["status"]?.ToString() ?? "unknown")}, deviated: <code>{Encode(journal["deviated"]?.ToString() ?? "unknown")}</code>.</p>\n";
        var table = Table("journal-activities", ["section", "activity", "status", "tolerance", "start", "end", "duration (s)"],
            activities.Select(activity => (IReadOnlyList<string>)
            [
                Encode(activity.Section),
                $"{Encode(activity.Type)} <code>{Encode(activity.Name)}</code>",
                StatusBadge(activity.Status),
                activity.ToleranceMet is null ? "" : Encode(activity.ToleranceMet),
                Encode(activity.Start),
                Encode(activity.End),
                Encode(Number(activity.Duration)),
            ]),
            index => activities[index].Status is "succeeded" && activities[index].ToleranceMet is not "not met" ? "pass" : "fail");
        return summary + table + (activities.Count > 0 ? DurationChart(activities) : "");
    }

    private static List<Activity> Activities(JsonObject journal)
    {
        var steadyStates = journal["steady_states"];
        var sections = new[]
        {
            ("steady state before", steadyStates?["before"]?["probes"]),
            ("method", journal["run"]),
            ("steady state after", steadyStates?["after"]?["probes"]),
            ("rollbacks", journal["rollbacks"]),
        };
        return
        [
            .. sections.SelectMany(section => (section.Item2 as JsonArray ?? []).Select(record => new Activity(
                section.Item1,
                record?["activity"]?["type"]?.ToString() ?? "",
                record?["activity"]?["name"]?.ToString() ?? "",
                record?["status"]?.ToString() ?? "",
                record?["tolerance_met"] is JsonValue met && met.TryGetValue<bool>(out var ok) ? (ok ? "met" : "not met") : null,
                record?["start"]?.ToString() ?? "",
                record?["end"]?.ToString() ?? "",
                record?["duration"] is JsonValue duration && duration.TryGetValue<double>(out var seconds) ? seconds : 0))),
        ];
    }

    /// <summary>Each activity's duration as a horizontal bar, in journal order from the top.</summary>
    private static string DurationChart(List<Activity> activities)
    {
        using var plot = new Plot();
        var positions = Enumerable.Range(0, activities.Count).Select(index => (double)(activities.Count - 1 - index)).ToArray();
        var bars = plot.Add.Bars(positions, [.. activities.Select(activity => activity.Duration)]);
        bars.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, [.. activities.Select(activity => $"{activity.Section}: {activity.Name}")]);
        plot.XLabel("seconds");
        var svg = plot.GetSvgXml(ChartRenderer.Width, Math.Max(160, 40 + 28 * activities.Count));
        return "<figure class=\"chart\" data-chart=\"journal-durations\"><figcaption><strong>Activity durations</strong>" +
            "<span class=\"look\">Which activity took the time: a probe that waits long is a steady state that is slow to hold.</span></figcaption>\n" +
            (svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..] : svg) + "\n</figure>\n";
    }
}
