using System.Globalization;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using static VokeTag.ChaosWorker.Reports.Html.HtmlPage;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// <c>report.html</c>: one self-contained page per run — summary, charts over the run's timeline, the hypothesis with
/// action items for each failure, the write ledger, the blast radius, what to look for, and links into the dashboard.
/// A Chaos Toolkit run shows its journal instead of the load charts.
/// </summary>
public sealed class HtmlReport(string? dashboardUrl) : IReportFormat
{
    private readonly DashboardLinks _dashboard = new(dashboardUrl);

    /// <summary>The learning notes of an experiment, by name: the page shows what to look for (null: none known).</summary>
    public Func<string, LearningNotes?> Learning { get; init; } = _ => null;

    public string FileName => "report.html";

    public string Render(ExperimentRun run)
    {
        var page = new HtmlPage($"{run.Title}: {run.Status.ToString().ToUpperInvariant()}")
            .Data("run-id", run.RunId)
            .Data("status", run.Status.ToString().ToLowerInvariant())
            .Data("experiment", run.Experiment)
            .Section("summary", "Summary", Summary(run));
        if (run.Journal is not null)
        {
            page.Section("journal", "Chaos Toolkit journal", ToolkitJournal.Render(run.Journal));
        }
        else
        {
            page.Section("charts", "Timeline", Charts(run));
        }

        page.Section("hypothesis", "Hypothesis", Criteria(run))
            .Section("actions", "Action items", ActionList(run))
            .Section("ledger", "Write ledger", Ledger(run))
            .Section("blast-radius", "Blast radius", $"<p>{Encode(run.BlastRadius)}</p>\n")
            .Section("learning", "What to look for", LearningNotes(run))
            .Section("dashboard", "Dashboard", DashboardSection(run))
            .Section("fault-actions", "Fault actions", FaultActions(run));
        return page.Render();
    }

    private static string Summary(ExperimentRun run) =>
        "<dl>" +
        $"<dt>Verdict</dt><dd id=\"verdict\">{StatusBadge(run.Status.ToString())}{(run.Error is null ? "" : $" {Encode(run.Error)}")}</dd>" +
        $"<dt>Experiment</dt><dd><code>{Encode(run.Experiment)}</code> — {Encode(run.Title)}</dd>" +
        $"<dt>Hypothesis</dt><dd>{Encode(run.Hypothesis)}</dd>" +
        $"<dt>Duration</dt><dd>{(run.EndedAt - run.StartedAt).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s ({run.StartedAt:u} to {run.EndedAt:u})</dd>" +
        $"<dt>Run id</dt><dd><code id=\"run-id\">{Encode(run.RunId)}</code></dd>" +
        (run.External is null ? "" : $"<dt>Measure-only</dt><dd>{Encode(run.External)}</dd>") +
        "</dl>\n";

    private static string Charts(ExperimentRun run)
    {
        var timeline = run.Timeline ?? RunTimeline.Empty;
        var frame = ChartFrame.Of(timeline, RunWindows.Phases(run), RunWindows.Faults(run));
        var note = timeline.Points.Count == 0 ? "<p class=\"note\">No timeline was recorded for this run (it ended before its baseline).</p>\n" : "";
        var legend = $"<p class=\"note\">Phases are shaded blue (baseline), amber (impact) and green (recovery); each fault's live window is shaded in <span style=\"color:{ChartRenderer.FaultWindowColor}\">red</span>. Each point is one second.</p>\n";
        return note + legend + "<div class=\"charts\">\n" + string.Concat(TimelineCharts.All(timeline, frame).Select(Figure)) + "</div>\n";
    }

    private static string Criteria(ExperimentRun run)
    {
        if (run.Verdict is not { } verdict)
        {
            return $"<p>No verdict: {Encode(run.Error ?? "the run did not get far enough to be judged")}.</p>\n";
        }

        return Table("criteria", ["result", "criterion", "claim", "measured", "expected"],
            verdict.Results.Select(result => (IReadOnlyList<string>)
            [
                Badge(result.Passed),
                $"<code>{Encode(result.Criterion.Name)}</code>",
                Encode(result.Criterion.Statement),
                Encode(Criterion.Format(result.Measured, result.Criterion.Unit)),
                Encode(result.Criterion.Expectation),
            ]),
            index => verdict.Results[index].Passed ? "pass" : "fail");
    }

    /// <summary>For each failed criterion, what to look at.</summary>
    private static string ActionList(ExperimentRun run)
    {
        var failures = run.Verdict?.Failures.ToList() ?? [];
        if (failures.Count == 0)
        {
            return run.Verdict is null ? "<p>No verdict, so no action items.</p>\n" : "<p>Every criterion held: nothing to act on.</p>\n";
        }

        return string.Concat(failures.Select(failure =>
            $"<div class=\"action-items\" data-criterion=\"{Encode(failure.Criterion.Name)}\"><p>{Badge(false)} <code>{Encode(failure.Criterion.Name)}</code>: {Encode(failure.Criterion.Statement)}</p><ul>" +
            string.Concat(failure.Criterion.ActionsWhenFailed.Select(action => $"<li>{Encode(action)}</li>")) + "</ul></div>\n"));
    }

    private static string Ledger(ExperimentRun run)
    {
        var entries = run.Figures?.Observations.Where(pair => pair.Key.StartsWith("ledger-", StringComparison.Ordinal)).OrderBy(pair => pair.Key, StringComparer.Ordinal).ToList() ?? [];
        return entries.Count == 0
            ? "<p>No write ledger for this run (no figures, or no acknowledged writes to check).</p>\n"
            : "<p class=\"note\">Every write the API acknowledged must be in the database once, after the rollback.</p>\n" +
              Table("ledger-table", ["check", "count"], entries.Select(pair => (IReadOnlyList<string>)[$"<code>{Encode(pair.Key)}</code>", Encode(Number(pair.Value))]));
    }

    private string LearningNotes(ExperimentRun run)
    {
        if (Learning(run.Experiment) is not { } notes)
        {
            return "<p>No learning notes for this experiment.</p>\n";
        }

        var watch = notes.Watch.Count == 0 ? "" : Table("watch", ["where", "what to look for"],
            notes.Watch.Select(note => (IReadOnlyList<string>)[Encode(note.Where), Encode(note.What)]));
        return watch + (string.IsNullOrWhiteSpace(notes.Teaches) ? "" : $"<p id=\"teaches\"><strong>What it teaches:</strong> {Encode(notes.Teaches)}</p>\n");
    }

    private string DashboardSection(ExperimentRun run)
    {
        const string Note = "Links into the dashboard work only while that lab runs: its telemetry is held in memory, and its login token changes each start.";
        var search = $"Search the traces for <code>{Encode(DashboardLinks.RunIdTag)} = {Encode(run.RunId)}</code> or the trace <code>{Encode(run.TraceName ?? DashboardLinks.TraceName(run.Experiment, run.RunId))}</code>.";
        return _dashboard.Traces(run.RunId) is { } traces
            ? (_dashboard.Trace(run.TraceId) is { } trace
                ? $"<p><a id=\"dashboard-trace\" href=\"{Encode(trace)}\">The run's trace in the Aspire dashboard</a>: its phases and fault actions as spans.</p>\n"
                : "") +
              $"<p><a id=\"dashboard-traces\" href=\"{Encode(traces)}\">Every trace of this run</a>: the run's and each load request's (the API tags its spans with <code>{Encode(DashboardLinks.RunIdTag)}</code>).</p>\n<p class=\"note\">{Note} {search}</p>\n"
            : $"<p class=\"note\">{Note} The dashboard's address was not configured (<code>Chaos:DashboardUrl</code>). {search}</p>\n";
    }

    private static string FaultActions(ExperimentRun run) => run.FaultActions.Count == 0
        ? "<p>No fault action.</p>\n"
        : Table("fault-actions-table", ["at (s since start)", "time", "action", "fault", "target", "outcome"],
            run.FaultActions.Select(action => (IReadOnlyList<string>)
            [
                Encode(Number(RunWindows.Since(run, action.At))),
                Encode(action.At.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)),
                Encode(action.Action),
                $"<code>{Encode(action.Fault)}</code>",
                $"<code>{Encode(action.Target)}</code>",
                action.Error is null ? "ok" : $"<span class=\"badge fail\">ERROR</span> {Encode(action.Error)}",
            ]));
}
