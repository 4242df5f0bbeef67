using System.Globalization;
using System.Net;
using System.Text;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// A self-contained report page: inline CSS, no script, no external resource, so it opens from disk and from a CI
/// artifact. Sections are added in order; every text that came from a file or a run goes through <see cref="Encode"/>.
/// </summary>
public sealed class HtmlPage(string title)
{
    private readonly StringBuilder _sections = new();
    private readonly Dictionary<string, string> _data = [];

    /// <summary>A <c>data-*</c> attribute on <c>&lt;main&gt;</c> (e.g. <c>run-id</c>, <c>status</c>).</summary>
    public HtmlPage Data(string name, string value)
    {
        _data[name] = value;
        return this;
    }

    /// <param name="content">HTML, already encoded.</param>
    /// <param name="cssClass">The section's class, e.g. <c>round</c>.</param>
    /// <param name="data">The section's <c>data-*</c> attributes, by name without <c>data-</c>; values are encoded here.</param>
    public HtmlPage Section(string id, string heading, string content, string? cssClass = null, IEnumerable<KeyValuePair<string, string>>? data = null)
    {
        var cls = cssClass is null ? "" : $" class=\"{Encode(cssClass)}\"";
        _sections.Append(CultureInfo.InvariantCulture, $"<section id=\"{Encode(id)}\"{cls}{DataAttributes(data ?? [])}><h2>{Encode(heading)}</h2>\n{content}</section>\n");
        return this;
    }

    public string Render()
    {
        var data = DataAttributes(_data);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{Encode(title)}</title>
            <link rel="icon" href="data:," />
            <style>{Style}</style>
            </head>
            <body>
            <main{data}>
            <h1>{Encode(title)}</h1>
            {_sections}</main>
            </body>
            </html>
            """;
    }

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>A PASS (green) or FAIL (red) badge.</summary>
    public static string Badge(bool passed) => passed ? "<span class=\"badge pass\">PASS</span>" : "<span class=\"badge fail\">FAIL</span>";

    /// <summary>A badge for any status word: green for passed, red for failed and the like, grey otherwise.</summary>
    public static string StatusBadge(string status)
    {
        var kind = status.ToLowerInvariant() switch
        {
            "passed" or "pass" or "succeeded" or "completed" => "pass",
            "failed" or "fail" or "error" or "aborted" or "interrupted" => "fail",
            _ => "neutral",
        };
        return $"<span class=\"badge {kind}\">{Encode(status.ToUpperInvariant())}</span>";
    }

    /// <param name="rows">Cells as HTML, already encoded.</param>
    public static string Table(string id, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, Func<int, string>? rowClass = null)
    {
        var html = new StringBuilder($"<table id=\"{Encode(id)}\"><thead><tr>");
        html.AppendJoin("", headers.Select(header => $"<th>{Encode(header)}</th>"));
        html.Append("</tr></thead><tbody>\n");
        foreach (var (row, index) in rows.Select((row, index) => (row, index)))
        {
            html.Append(rowClass?.Invoke(index) is { } cls ? $"<tr class=\"{Encode(cls)}\">" : "<tr>");
            html.AppendJoin("", row.Select(cell => $"<td>{cell}</td>"));
            html.Append("</tr>\n");
        }

        return html.Append("</tbody></table>\n").ToString();
    }

    /// <summary>
    /// A chart with the facts a browser test reads as data: the x-axis mapping (seconds at the data area's left and right
    /// edges), the data area's pixel box in the SVG, and the phases and fault windows in seconds.
    /// </summary>
    public static string Figure(RenderedChart chart) =>
        $"<figure class=\"chart\" id=\"chart-{Encode(chart.Id)}\" data-chart=\"{Encode(chart.Id)}\"" +
        $" data-x-min=\"{Number(chart.XMin)}\" data-x-max=\"{Number(chart.XMax)}\"" +
        $" data-plot-left=\"{Number(chart.DataArea.Left)}\" data-plot-right=\"{Number(chart.DataArea.Right)}\"" +
        $" data-plot-top=\"{Number(chart.DataArea.Top)}\" data-plot-bottom=\"{Number(chart.DataArea.Bottom)}\"" +
        $" data-fault-color=\"{ChartRenderer.FaultWindowColor}\"" +
        $" data-fault-windows=\"{Encode(WindowsJson(chart.Frame.FaultWindows, fault: true))}\"" +
        $" data-phases=\"{Encode(WindowsJson(chart.Frame.Phases, fault: false))}\"" +
        (chart.Frame.Markers.Count == 0 ? "" : $" data-events=\"{Encode(MarkersJson(chart.Frame.Markers))}\"") + ">" +
        $"<figcaption><strong>{Encode(chart.Title)}</strong><span class=\"look\">{Encode(chart.Look)}</span></figcaption>\n" +
        $"{StripXmlDeclaration(chart.Svg)}\n</figure>\n";

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string WindowsJson(IReadOnlyList<Experiments.TimelineWindow> windows, bool fault) =>
        System.Text.Json.JsonSerializer.Serialize(windows.Select(window => fault
            ? (object)new { fault = window.Name, target = window.Target, start = Math.Round(window.Start, 3), end = Math.Round(window.End, 3) }
            : new { phase = window.Name, start = Math.Round(window.Start, 3), end = Math.Round(window.End, 3) }));

    /// <summary>The frame's markers as <c>[{"kind":"diagnose","seconds":41.2,"correct":true}, …]</c>, seconds on the chart's x-axis.</summary>
    private static string MarkersJson(IReadOnlyList<ChartMarker> markers) =>
        System.Text.Json.JsonSerializer.Serialize(markers.Select(marker => new { kind = marker.Kind, seconds = Math.Round(marker.Seconds, 3), correct = marker.Correct }));

    private static string DataAttributes(IEnumerable<KeyValuePair<string, string>> data) =>
        string.Concat(data.Select(pair => $" data-{Encode(pair.Key)}=\"{Encode(pair.Value)}\""));

    /// <summary>Inline SVG in HTML takes no XML declaration.</summary>
    private static string StripXmlDeclaration(string svg) =>
        svg.StartsWith("<?xml", StringComparison.Ordinal) ? svg[(svg.IndexOf("?>", StringComparison.Ordinal) + 2)..].TrimStart() : svg;

    private const string Style = """
        body{margin:0;background:#f6f7f9;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
        main{max-width:1100px;margin:0 auto;padding:24px}
        h1{font-size:26px;margin:0 0 16px}
        h2{font-size:19px;margin:0 0 12px}
        section{background:#fff;border:1px solid #d8dee4;border-radius:8px;padding:16px 20px;margin:0 0 20px}
        table{border-collapse:collapse;width:100%;font-size:14px}
        th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #eaeef2;vertical-align:top}
        th{background:#f6f8fa}
        tr.fail td{background:#fff5f5}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;font-size:12px;color:#fff}
        .badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.neutral{background:#6e7781}
        .charts{display:grid;grid-template-columns:1fr;gap:16px}
        figure.chart{margin:0;border:1px solid #eaeef2;border-radius:6px;padding:8px}
        figure.chart svg{width:100%;height:auto;display:block}
        figcaption{margin:0 0 6px}figcaption .look{display:block;color:#57606a;font-size:13px}
        dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#57606a}dd{margin:0}
        .note{color:#57606a;font-size:13px}
        code{background:#f6f8fa;padding:1px 4px;border-radius:4px}
        ul{margin:4px 0;padding-left:20px}
        table.score-card,table.facts{width:auto;min-width:420px}table.score-card th,table.facts th{width:260px}
        tr.correct td:last-child{color:#1a7f37}tr.wrong td:last-child{color:#cf222e}.secret{color:#8250df}
        .points,.total-points{font-weight:700}
        .marker{display:inline-block;width:14px;height:0;border-top:2px solid;vertical-align:middle;margin:0 4px 0 10px}
        .marker.wrong{border-top-style:dashed}
        """;
}
