using ScottPlot;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// Draws a set of series over a <see cref="ChartFrame"/> with ScottPlot and renders SVG: phases shaded lightly, each fault
/// window in <see cref="FaultWindowColor"/>, the frame's markers as vertical lines (dashed when wrong), the x-axis fixed
/// to the frame so every chart of a page lines up.
/// </summary>
public static class ChartRenderer
{
    /// <summary>The fault windows' fill, used for nothing else, so a test can find their rects in the SVG (rgb 214, 40, 57).</summary>
    public const string FaultWindowColor = "#D62839";

    /// <summary>How opaque the fault windows are: lines stay readable through them.</summary>
    public const double FaultWindowAlpha = 0.18;

    /// <summary>The marker lines' colours by kind (a game day's team actions); other kinds are grey.</summary>
    public static readonly IReadOnlyDictionary<string, string> MarkerColors = new Dictionary<string, string>
    {
        ["declare"] = "#BF8700",
        ["diagnose"] = "#8250DF",
        ["mitigate"] = "#1A7F37",
        ["note"] = "#6E7781",
    };

    public const int Width = 1000;
    public const int Height = 300;

    private static readonly Dictionary<string, string> PhaseColors = new()
    {
        ["baseline"] = "#E7F0FA",
        ["impact"] = "#FFF4E0",
        ["recovery"] = "#E6F4EA",
    };

    /// <summary>One line of a chart: its legend text and points (x in seconds since the start).</summary>
    public sealed record Series(string Label, double[] Xs, double[] Ys);

    /// <param name="configure">Adjusts the plot before rendering (e.g. the y ticks of a state chart).</param>
    public static RenderedChart Render(
        string id, string title, string look, string yLabel, IEnumerable<Series> series, ChartFrame frame, bool steps = false, Action<Plot>? configure = null)
    {
        using var plot = new Plot();
        Shade(plot, frame);
        var any = false;
        foreach (var line in series.Where(line => line.Xs.Length > 0))
        {
            var scatter = plot.Add.Scatter(line.Xs, line.Ys);
            scatter.LegendText = line.Label;
            scatter.LineWidth = 2;
            scatter.MarkerSize = line.Xs.Length == 1 ? 5 : 0;
            scatter.ConnectStyle = steps ? ConnectStyle.StepHorizontal : ConnectStyle.Straight;
            any = true;
        }

        if (!any)
        {
            plot.Add.Annotation("no data recorded");
        }

        Mark(plot, frame);

        plot.XLabel("seconds since the run started");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.SetLimitsX(frame.XMin, frame.XMax);
        configure?.Invoke(plot);
        if (!any)
        {
            plot.Axes.SetLimitsY(0, 1);
        }

        var svg = plot.GetSvgXml(Width, Height);
        if (any && plot.Axes.GetLimits() is { Bottom: < 0 } flat)
        {
            // Every series here counts or measures something (never below zero): a flat zero line autoscales to -1…1.
            plot.Axes.SetLimitsY(0, Math.Max(flat.Top, 1));
            svg = plot.GetSvgXml(Width, Height);
        }

        var area = plot.RenderManager.LastRender.DataRect;
        var limits = plot.Axes.GetLimits();
        return new RenderedChart(id, title, look, svg, limits.Left, limits.Right, new PixelBox(area.Left, area.Right, area.Top, area.Bottom), frame);
    }

    public static string MarkerColor(string kind) => MarkerColors.GetValueOrDefault(kind, "#6E7781");

    private static void Mark(Plot plot, ChartFrame frame)
    {
        foreach (var marker in frame.Markers)
        {
            var line = plot.Add.VerticalLine(marker.Seconds, 1.5f, Color.FromHex(MarkerColor(marker.Kind)));
            line.LinePattern = marker.Correct == false ? LinePattern.Dashed : LinePattern.Solid; // a wrong call reads as dashed
        }
    }

    private static void Shade(Plot plot, ChartFrame frame)
    {
        foreach (var phase in frame.Phases)
        {
            var span = plot.Add.HorizontalSpan(phase.Start, phase.End, Color.FromHex(PhaseColors.GetValueOrDefault(phase.Name, "#F1F3F5")));
            span.LineStyle.Width = 0;
        }

        foreach (var window in frame.FaultWindows)
        {
            var span = plot.Add.HorizontalSpan(window.Start, window.End, Color.FromHex(FaultWindowColor).WithAlpha(FaultWindowAlpha));
            span.LineStyle.Width = 0; // no legend entry: the span is the only shape in this colour
        }
    }
}
