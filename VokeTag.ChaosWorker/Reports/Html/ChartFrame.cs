using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// The x-axis every timeline chart of one page shares: seconds since the run (or game day) started, from
/// <paramref name="XMin"/> to <paramref name="XMax"/>, with its phases and fault windows shaded and its
/// <see cref="Markers"/> drawn as vertical lines.
/// </summary>
public sealed record ChartFrame(double XMin, double XMax, IReadOnlyList<TimelineWindow> Phases, IReadOnlyList<TimelineWindow> FaultWindows)
{
    /// <summary>Moments to mark on every chart of the frame, e.g. a game day team's actions (none in a run report).</summary>
    public IReadOnlyList<ChartMarker> Markers { get; init; } = [];

    /// <summary>This frame with those markers, widened to show each of them.</summary>
    public ChartFrame WithMarkers(IReadOnlyList<ChartMarker> markers)
    {
        var seconds = markers.Select(marker => marker.Seconds).ToList();
        return this with
        {
            XMin = Math.Min(XMin, Math.Floor(seconds.DefaultIfEmpty(XMin).Min())),
            XMax = Math.Max(XMax, Math.Ceiling(seconds.DefaultIfEmpty(XMax).Max())),
            Markers = markers,
        };
    }

    /// <summary>From the first phase (or point) to the last phase, point or fault window, whichever is later.</summary>
    public static ChartFrame Of(RunTimeline timeline, IReadOnlyList<TimelineWindow> phases, IReadOnlyList<TimelineWindow> faultWindows)
    {
        var starts = phases.Select(phase => phase.Start).Concat(timeline.Points.Select(point => (double)point.Second)).DefaultIfEmpty(0).ToList();
        var ends = phases.Select(phase => phase.End).Concat(timeline.Points.Select(point => point.Second + 1.0)).Concat(faultWindows.Select(window => window.End))
            .DefaultIfEmpty(1).ToList();
        var (min, max) = (Math.Floor(starts.Min()), Math.Ceiling(ends.Max()));
        return new ChartFrame(min, Math.Max(max, min + 1), phases, faultWindows);
    }
}

/// <summary>A moment on a chart's x-axis: what happened (e.g. <c>diagnose</c>), when, and whether it was right (null: not scored).</summary>
public sealed record ChartMarker(string Kind, double Seconds, bool? Correct);

/// <summary>The data area's pixel box within a chart's SVG.</summary>
public sealed record PixelBox(double Left, double Right, double Top, double Bottom);

/// <summary>One chart, rendered: its SVG and the facts a browser test needs to read it (x-axis mapping, data area, windows).</summary>
/// <param name="Id">Stable id, e.g. <c>latency</c>: the figure's <c>data-chart</c>.</param>
/// <param name="Look">What to look for, in one line.</param>
public sealed record RenderedChart(string Id, string Title, string Look, string Svg, double XMin, double XMax, PixelBox DataArea, ChartFrame Frame);
