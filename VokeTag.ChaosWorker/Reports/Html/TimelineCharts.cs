using ScottPlot;
using VokeTag.ChaosWorker.Experiments;
using static VokeTag.ChaosWorker.Reports.Html.ChartRenderer;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// The charts of a run's timeline, one method each, over a shared <see cref="ChartFrame"/>; they need the timeline only,
/// so a game day's page can draw them too.
/// </summary>
public static class TimelineCharts
{
    public static IReadOnlyList<RenderedChart> All(RunTimeline timeline, ChartFrame frame) =>
    [
        Latency(timeline, frame),
        ErrorRate(timeline, frame),
        StatusCodes(timeline, frame),
        Throughput(timeline, frame),
        ServedFrom(timeline, frame),
        Replicas(timeline, frame),
        Breakers(timeline, frame),
        Cpu(timeline, frame),
        Memory(timeline, frame),
        DbConnections(timeline, frame),
    ];

    public static RenderedChart Latency(RunTimeline timeline, ChartFrame frame) => Render(
        "latency", "Latency per second", "Does P99 jump when a fault starts, and come back to the baseline after the rollback?", "ms",
        [
            Line("P50", timeline, point => point.P50Ms),
            Line("P95", timeline, point => point.P95Ms),
            Line("P99", timeline, point => point.P99Ms),
        ], frame);

    public static RenderedChart ErrorRate(RunTimeline timeline, ChartFrame frame) => Render(
        "error-rate", "Error rate", "Failures (5xx, no answer) as a share of each second's requests; shed requests are not errors.", "% failed",
        [Line("error rate", timeline, point => point.Requests == 0 ? null : point.ErrorRate * 100)], frame);

    /// <summary>
    /// A game day round at a glance: the error rate (left axis) and P95 (right axis) per second, with the frame's markers
    /// (the team's actions) over the shaded fault window.
    /// </summary>
    public static RenderedChart Round(string id, RunTimeline timeline, ChartFrame frame) => Render(
        id, "Error rate and P95 per second", "When did the errors start, when did the team act, and how soon after the mitigation did the errors stop?", "% failed",
        [
            Line("error rate", timeline, point => point.Requests == 0 ? null : point.ErrorRate * 100),
            Line("P95", timeline, point => point.P95Ms),
        ], frame, configure: plot =>
        {
            // P95 in ms on its own axis, so the error rate's percent stays readable
            var p95 = plot.GetPlottables().OfType<ScottPlot.Plottables.Scatter>().FirstOrDefault(scatter => scatter.LegendText == "P95");
            if (p95 is not null)
            {
                p95.Axes.YAxis = plot.Axes.Right;
                plot.Axes.Right.Label.Text = "P95 ms";
            }
        });

    public static RenderedChart StatusCodes(RunTimeline timeline, ChartFrame frame) => Render(
        "status-codes", "Status codes", "Which answers replaced the 200s while the fault was live: 503 shed, 500 bugs, none (no answer).", "requests/s",
        [
            .. Keys(timeline, point => point.StatusCodes.Keys.Select(code => code.ToString(System.Globalization.CultureInfo.InvariantCulture))).Select(code =>
                Line(code, timeline, point => point.StatusCodes.GetValueOrDefault(int.Parse(code, System.Globalization.CultureInfo.InvariantCulture)))),
            .. new[] { "none", "not-sent" }.Where(cls => timeline.Points.Any(point => point.StatusClasses.ContainsKey(cls)))
                .Select(cls => Line(cls, timeline, point => point.StatusClasses.GetValueOrDefault(cls))),
        ], frame);

    public static RenderedChart Throughput(RunTimeline timeline, ChartFrame frame) => Render(
        "throughput", "Throughput", "Requests due each second and those answered 2xx: a gap between them is the cost of the fault.", "requests/s",
        [
            Line("sent", timeline, point => point.Requests),
            Line("2xx", timeline, point => point.StatusClasses.GetValueOrDefault("2xx")),
        ], frame);

    public static RenderedChart ServedFrom(RunTimeline timeline, ChartFrame frame) => Render(
        "served-from", "Served from", "Share of successful verifications from the cache, the database or the fallback: the fallback should take over, then hand back.", "% of verifications",
        Keys(timeline, point => point.ServedFrom.Keys).Select(source => Line(source, timeline, point =>
        {
            var total = point.ServedFrom.Values.Sum();
            return total == 0 ? null : 100.0 * point.ServedFrom.GetValueOrDefault(source) / total;
        })), frame);

    public static RenderedChart Replicas(RunTimeline timeline, ChartFrame frame) => Render(
        "replicas", "Answers per replica", "Does the load move to the replicas left when one fails, and spread again when it is back?", "answers/s",
        Keys(timeline, point => point.Replicas.Keys).Select(replica => Line(replica, timeline, point => point.Replicas.GetValueOrDefault(replica))), frame);

    /// <summary>States as steps: 0 closed, 1 half-open, 2 open.</summary>
    public static RenderedChart Breakers(RunTimeline timeline, ChartFrame frame)
    {
        string[] states = ["closed", "half-open", "open"];
        return Render(
            "breakers", "Circuit breakers", "When did each dependency's breaker open, and did it close again after the rollback?", "state",
            Keys(timeline, point => point.Breakers.Keys).Select(dependency => Line(dependency, timeline,
                point => point.Breakers.TryGetValue(dependency, out var state) ? Array.IndexOf(states, state) : null)),
            frame, steps: true, configure: plot =>
            {
                plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 1, 2], states);
                plot.Axes.SetLimitsY(-0.2, 2.2);
            });
    }

    public static RenderedChart Cpu(RunTimeline timeline, ChartFrame frame) => Render(
        "cpu", "CPU per lab process", "Which process works harder while the fault is live (e.g. the database taking the cache's reads)?", "% of all cores",
        Keys(timeline, point => point.Processes.Keys).Select(process => Line(process, timeline,
            point => point.Processes.TryGetValue(process, out var share) ? share.Cpu * 100 : null)), frame);

    public static RenderedChart Memory(RunTimeline timeline, ChartFrame frame) => Render(
        "memory", "Memory per lab process", "Memory that grows during the fault and does not come back is a leak or an unbounded queue.", "% of memory",
        Keys(timeline, point => point.Processes.Keys).Select(process => Line(process, timeline,
            point => point.Processes.TryGetValue(process, out var share) ? share.Memory * 100 : null)), frame);

    public static RenderedChart DbConnections(RunTimeline timeline, ChartFrame frame) => Render(
        "db-connections", "Database connections in use", "Connections each API replica holds from its PostgreSQL pool: a flat line at the pool's size is an exhausted pool.", "connections",
        Keys(timeline, point => point.DbConnections.Keys).Select(replica => Line(replica, timeline,
            point => point.DbConnections.TryGetValue(replica, out var used) ? used : null)), frame);

    /// <summary>A series at each second's middle; seconds without a value are left out.</summary>
    private static Series Line(string label, RunTimeline timeline, Func<TimelinePoint, double?> value)
    {
        var points = timeline.Points.Select(point => (X: point.Second + 0.5, Y: value(point))).Where(point => point.Y is not null).ToList();
        return new Series(label, [.. points.Select(point => point.X)], [.. points.Select(point => point.Y!.Value)]);
    }

    private static IEnumerable<string> Keys(RunTimeline timeline, Func<TimelinePoint, IEnumerable<string>> keys) =>
        timeline.Points.SelectMany(keys).Distinct().Order(StringComparer.Ordinal);
}
