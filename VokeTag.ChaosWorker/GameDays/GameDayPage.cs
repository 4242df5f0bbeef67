using System.Globalization;
using System.Text.Json;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Reports.Html;
using static VokeTag.ChaosWorker.Reports.Html.HtmlPage;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// <c>gameday.html</c>, for the post-mortem, on the run report's <see cref="HtmlPage"/>: the totals and the points rule,
/// then each round with its scenario revealed, its score card, a chart of its error rate with the team's actions marked,
/// its timeline, a link to its run report and the scenario's learning notes. Before the reveal of a hidden game day the
/// page shows no scenario, chart or learning note. Stable ids, classes and <c>data-*</c> attributes for browser tests:
/// a round's section has <c>data-events</c> with every entry of the round in seconds since the game day started, its
/// chart's figure has <c>data-events</c> with the team's actions in seconds since the round's run started.
/// </summary>
public static class GameDayPage
{
    private static readonly string[] TeamActions = [TimelineKinds.Declare, TimelineKinds.Diagnose, TimelineKinds.Mitigate, TimelineKinds.Note];

    public static string Render(GameDay gameDay)
    {
        var view = GameDayView.Of(gameDay);
        var page = new HtmlPage($"Game day {view.Id}")
            .Data("gameday-id", view.Id)
            .Data("status", view.Status)
            .Data("hidden", view.Hidden ? "true" : "false")
            .Section("summary", "Totals", Summary(view), data: new Dictionary<string, string>
            {
                ["gameday-id"] = view.Id,
                ["status"] = view.Status,
                ["hidden"] = view.Hidden ? "true" : "false",
            });
        foreach (var round in gameDay.Rounds)
        {
            var shown = view.Rounds.Single(candidate => candidate.RoundId == round.Id);
            var entries = view.Timeline.Where(entry => entry.RoundId == round.Id).ToList();
            var events = JsonSerializer.Serialize(entries.Select(entry => new { kind = entry.Kind, seconds = entry.Seconds, correct = entry.Correct }));
            page.Section($"round-{round.Id}", $"Round {round.Number}: {shown.Title ?? "scenario hidden until the reveal"}", Round(round, shown, entries), "round",
                new Dictionary<string, string>
                {
                    ["round-id"] = round.Id,
                    ["scenario"] = shown.Scenario ?? "",
                    ["injected-at"] = round.Control.InjectedAt?.ToString("O", CultureInfo.InvariantCulture) ?? "",
                    ["events"] = events,
                });
        }

        return page.Section("timeline", "Whole timeline", Timeline(view.Timeline)).Render();
    }

    private static string Summary(GameDayView view)
    {
        var totals = view.Totals;
        return "<table class=\"facts\">" +
            $"<tr><th>Total</th><td class=\"total-points\" data-points=\"{totals.Points}\">{totals.Points} points</td></tr>" +
            Row("Rounds", $"{totals.RoundsEnded} played of {view.Rounds.Count} started") +
            Row("Detected / diagnosed / mitigated", $"{totals.Detected} / {totals.Diagnosed} / {totals.Mitigated} of {totals.RoundsEnded}") +
            Row("Wrong diagnoses / mitigations / false alarms", $"{totals.WrongDiagnoses} / {totals.WrongMitigations} / {totals.FalseAlarms}") +
            Row("Errors users saw", totals.ErrorsSeen.ToString(CultureInfo.InvariantCulture)) +
            Row("Points by team", totals.PointsByTeam.Count == 0 ? "—" : string.Join(", ", totals.PointsByTeam.Select(team => $"{team.Key}: {team.Value}"))) +
            Row("Status", view.Status) +
            Row("Started", Time(view.StartedAt)) +
            Row("Ended", view.EndedAt is { } ended ? Time(ended) : "—") +
            Row("Scenario", view.Hidden ? view.Revealed ? "hidden during the rounds, revealed below" : "hidden until the reveal" : "shown") +
            Row("Round limit", $"{view.RoundLimitSeconds:0} s") +
            Row("Pool", view.Pool is null ? "—" : string.Join(", ", view.Pool)) +
            "</table>\n" +
            $"<p class=\"points-rule note\">{Encode(totals.PointsRule)}</p>\n" +
            RoundsAtAGlance(view);
    }

    private static string RoundsAtAGlance(GameDayView view) => view.Rounds.Count == 0 ? "" : Table("rounds",
        ["round", "scenario", "detect", "correct diagnosis", "mitigation", "errors users saw", "points"],
        view.Rounds.Select(round => (IReadOnlyList<string>)
        [
            $"<a href=\"#round-{Encode(round.RoundId)}\">{round.Number}</a>",
            round.Scenario is null ? "hidden" : $"<code>{Encode(round.Scenario)}</code>",
            Encode(Seconds(round.Score?.DetectSeconds, "—")),
            Encode(Seconds(round.Score?.DiagnoseSeconds, "—")),
            Encode(round.Score?.Mitigation is { } mitigation ? mitigation.Correct ? "correct" : "wrong" : "—"),
            Encode(round.Score?.ErrorsSeen.ToString(CultureInfo.InvariantCulture) ?? "—"),
            Encode(round.Score?.Points.ToString(CultureInfo.InvariantCulture) ?? "—"),
        ]));

    private static string Round(GameDayRound round, RoundView shown, IReadOnlyList<TimelineEntry> entries)
    {
        var revealed = shown.Scenario is not null;
        var scenario = revealed
            ? $"<p>Scenario <code class=\"scenario\">{Encode(shown.Scenario)}</code></p>\n" +
              $"<p class=\"description\">{Encode(round.Scenario.Definition.Description)}</p>\n" +
              $"<p class=\"faults\">Injected: {Encode(string.Join("; ", shown.Faults ?? []))}</p>\n"
            : "<p class=\"note\">The scenario, the chart, the run report and the learning notes are shown at the reveal.</p>\n";
        return scenario +
            "<h3>Score card</h3>\n" + ScoreCard(round.Score) +
            (revealed ? Chart(round, entries) : "") +
            "<h3>Timeline</h3>\n" + Timeline(entries) +
            (revealed
                ? $"<p><a class=\"run-report\" href=\"../../{Encode(round.Id)}/report.html\">The round's run report</a> (phases, figures and verdict of {Encode(round.Id)})</p>\n" +
                  Learning(round.Scenario.Definition.Learning)
                : "");
    }

    private static string ScoreCard(RoundScore? score)
    {
        if (score is null)
        {
            return "<table class=\"score-card\">" + Row("Score", "the round did not end") + "</table>\n";
        }

        var mitigation = score.Mitigation is { } said ? $"{said.Action} at {said.Seconds:0.0} s — {(said.Correct ? "correct" : "wrong")}" : "none";
        return "<table class=\"score-card\">" +
            Row("Injected at", score.InjectedAt is { } at ? Time(at) : "never") +
            $"<tr><th>Time to detect</th><td class=\"detect\" data-seconds=\"{Number(score.DetectSeconds)}\">{Seconds(score.DetectSeconds, "not detected")}</td></tr>" +
            $"<tr><th>Time to a correct diagnosis</th><td class=\"diagnose\" data-seconds=\"{Number(score.DiagnoseSeconds)}\">{Seconds(score.DiagnoseSeconds, "not diagnosed")}</td></tr>" +
            $"<tr><th>Wrong diagnoses</th><td class=\"wrong-diagnoses\" data-count=\"{score.WrongDiagnoses}\">{score.WrongDiagnoses}{List(score.WrongDiagnosisList)}</td></tr>" +
            Row("False alarms", $"{score.FalseAlarms.Count}{(score.FalseAlarms.Count > 0 ? ": " + string.Join("; ", score.FalseAlarms) : "")}") +
            $"<tr><th>Mitigation</th><td class=\"mitigation\" data-correct=\"{(score.Mitigation?.Correct == true ? "true" : "false")}\">" +
            $"{Encode(mitigation)} ({score.WrongMitigations} wrong)</td></tr>" +
            Row("Time to recovery (steady again after the rollback)", Seconds(score.RecoverySeconds, "not steady within the recovery phase")) +
            Row("Incident length (injection → steady)", Seconds(score.IncidentSeconds, "—")) +
            Row("Errors users saw", $"{score.ErrorsSeen} ({score.ErrorsPerMinute:0.#} a minute)") +
            $"<tr><th>Points</th><td class=\"points\" data-points=\"{score.Points}\">{score.Points}</td></tr>" +
            Row("Findings", score.Findings.Count == 0 ? "—" : string.Join("; ", score.Findings)) +
            "</table>\n";
    }

    /// <summary>The round's error rate and P95 over its run's timeline, the fault window shaded and each team action marked.</summary>
    private static string Chart(GameDayRound round, IReadOnlyList<TimelineEntry> entries)
    {
        if (round.Run is not { } run)
        {
            return "<p class=\"note no-timeline\">No chart: the round did not end.</p>\n";
        }

        if (run.Timeline is not { Points.Count: > 0 } timeline)
        {
            return "<p class=\"note no-timeline\">No chart: the round stopped before its run recorded a timeline.</p>\n";
        }

        var markers = entries.Where(entry => TeamActions.Contains(entry.Kind))
            .Select(entry => new ChartMarker(entry.Kind, RunWindows.Since(run, entry.At), entry.Correct)).ToList();
        var frame = ChartFrame.Of(timeline, RunWindows.Phases(run), RunWindows.Faults(run)).WithMarkers(markers);
        var legend = string.Concat(TeamActions.Select(kind => $"<span class=\"marker\" style=\"border-color:{ChartRenderer.MarkerColor(kind)}\"></span>{kind}"));
        return "<h3>Error rate and the team's actions</h3>\n" +
            $"<p class=\"note\">The fault's live window is shaded <span style=\"color:{ChartRenderer.FaultWindowColor}\">red</span>; each team action is a line:{legend};" +
            " a dashed line is a wrong call. Seconds since the round's run started.</p>\n" +
            Figure(TimelineCharts.Round(round.Id, timeline, frame));
    }

    private static string Timeline(IReadOnlyList<TimelineEntry> entries)
    {
        var rows = entries.Select(entry =>
        {
            var verdict = entry.Correct switch { true => "correct", false => "wrong", _ => "unscored" };
            return $"<tr class=\"entry {Encode(entry.Kind)} {verdict}\" data-kind=\"{Encode(entry.Kind)}\" data-seconds=\"{entry.Seconds.ToString(CultureInfo.InvariantCulture)}\">" +
                $"<td>{Encode(entry.At.ToString("HH:mm:ss.f", CultureInfo.InvariantCulture))}</td><td>{entry.Seconds.ToString("0.0", CultureInfo.InvariantCulture)}</td><td>{Encode(entry.RoundId)}</td>" +
                $"<td>{Encode(entry.Kind)}</td><td>{Encode(entry.By)}</td><td>{Encode(entry.Text)}{(entry.Secret is { } secret ? $" <span class=\"secret\">({Encode(secret)})</span>" : "")}</td>" +
                $"<td>{Encode(entry.Check)}</td></tr>";
        });
        return "<table class=\"timeline\"><thead><tr><th>UTC</th><th>s</th><th>Round</th><th>What</th><th>Who</th><th>Said / happened</th><th>Check</th></tr></thead><tbody>" +
            string.Concat(rows) + "</tbody></table>\n";
    }

    private static string Learning(VokeTag.Experiments.LearningNotes learning) =>
        "<div class=\"learning\"><h3>Learning notes</h3><ul>" +
        string.Concat(learning.Watch.Select(note => $"<li><strong>{Encode(note.Where)}</strong>: {Encode(note.What)}</li>")) +
        $"</ul><p class=\"teaches\">{Encode(learning.Teaches)}</p></div>\n";

    private static string Row(string name, string value) => $"<tr><th>{Encode(name)}</th><td>{Encode(value)}</td></tr>";

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "" : ": " + Encode(string.Join("; ", items));

    private static string Seconds(double? seconds, string none) => seconds is { } value ? $"{value.ToString("0.0", CultureInfo.InvariantCulture)} s" : none;

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
