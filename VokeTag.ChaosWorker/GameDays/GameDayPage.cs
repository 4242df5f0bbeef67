using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// <c>gameday.html</c>, for the post-mortem: the summary and total score, then each round with its scenario revealed,
/// its score card, its timeline (injected fault, every action and note, the checks) and the scenario's learning notes.
/// Self-contained (inline CSS, no scripts); every text from people or files is encoded. Stable ids, classes and
/// <c>data-*</c> attributes for browser tests.
/// </summary>
public static class GameDayPage
{
    public static string Render(GameDay gameDay)
    {
        var view = GameDayView.Of(gameDay);
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Game day ").Append(E(view.Id)).Append("</title>")
            .Append("<style>").Append(Style).Append("</style></head>\n<body>\n");
        Summary(html, view);
        foreach (var round in gameDay.Rounds)
        {
            Round(html, round, view);
        }

        html.Append("<section id=\"timeline\"><h2>Whole timeline</h2>");
        Timeline(html, view.Timeline);
        html.Append("</section>\n</body></html>\n");
        return html.ToString();
    }

    private static void Summary(StringBuilder html, GameDayView view)
    {
        var totals = view.Totals;
        html.Append($"<header id=\"summary\" data-gameday-id=\"{E(view.Id)}\" data-status=\"{E(view.Status)}\" data-hidden=\"{(view.Hidden ? "true" : "false")}\">")
            .Append($"<h1>Game day {E(view.Id)}</h1><table class=\"facts\">")
            .Append(Row("Status", view.Status))
            .Append(Row("Started", Time(view.StartedAt)))
            .Append(Row("Ended", view.EndedAt is { } ended ? Time(ended) : "—"))
            .Append(Row("Rounds", $"{totals.RoundsEnded} played of {view.Rounds.Count} started"))
            .Append(Row("Scenario", view.Hidden ? "hidden during the rounds, revealed below" : "shown"))
            .Append(Row("Round limit", $"{view.RoundLimitSeconds:0} s"))
            .Append(Row("Pool", view.Pool is null ? "—" : string.Join(", ", view.Pool)))
            .Append($"<tr><th>Total</th><td class=\"total-points\" data-points=\"{totals.Points}\">{totals.Points} points</td></tr>")
            .Append(Row("Detected / diagnosed / mitigated", $"{totals.Detected} / {totals.Diagnosed} / {totals.Mitigated} of {totals.RoundsEnded}"))
            .Append(Row("Wrong diagnoses / mitigations / false alarms", $"{totals.WrongDiagnoses} / {totals.WrongMitigations} / {totals.FalseAlarms}"))
            .Append(Row("Errors users saw", totals.ErrorsSeen.ToString(CultureInfo.InvariantCulture)))
            .Append(Row("Points by team", totals.PointsByTeam.Count == 0 ? "—" : string.Join(", ", totals.PointsByTeam.Select(team => $"{team.Key}: {team.Value}"))))
            .Append("</table>")
            .Append($"<p class=\"points-rule\">{E(totals.PointsRule)}</p></header>\n");
    }

    private static void Round(StringBuilder html, GameDayRound round, GameDayView view)
    {
        var entries = view.Timeline.Where(entry => entry.RoundId == round.Id).ToList();
        var events = JsonSerializer.Serialize(entries.Select(entry => new { kind = entry.Kind, seconds = entry.Seconds, correct = entry.Correct }));
        html.Append($"<section class=\"round\" id=\"round-{E(round.Id)}\" data-round-id=\"{E(round.Id)}\" data-scenario=\"{E(round.Scenario.Name)}\"")
            .Append($" data-injected-at=\"{(round.Control.InjectedAt is { } injected ? E(injected.ToString("O", CultureInfo.InvariantCulture)) : "")}\"")
            .Append($" data-events=\"{E(events)}\">")
            .Append($"<h2>Round {round.Number}: {E(round.Scenario.Title)} <code class=\"scenario\">{E(round.Scenario.Name)}</code></h2>")
            .Append($"<p class=\"description\">{E(round.Scenario.Definition.Description)}</p>")
            .Append($"<p class=\"faults\">Injected: {E(string.Join("; ", round.Faults))}</p>");
        ScoreCard(html, round);
        html.Append("<h3>Timeline</h3>");
        Timeline(html, entries);
        html.Append($"<p><a class=\"run-report\" href=\"../../{E(round.Id)}/report.html\">The round's run report</a> (phases, figures and verdict of {E(round.Id)})</p>");
        Learning(html, round.Scenario.Definition.Learning);
        html.Append("</section>\n");
    }

    private static void ScoreCard(StringBuilder html, GameDayRound round)
    {
        html.Append("<table class=\"score-card\">");
        if (round.Score is not { } score)
        {
            html.Append(Row("Score", "the round did not end")).Append("</table>");
            return;
        }

        html.Append(Row("Injected at", score.InjectedAt is { } at ? Time(at) : "never"))
            .Append($"<tr><th>Time to detect</th><td class=\"detect\" data-seconds=\"{Number(score.DetectSeconds)}\">{Seconds(score.DetectSeconds, "not detected")}</td></tr>")
            .Append($"<tr><th>Time to a correct diagnosis</th><td class=\"diagnose\" data-seconds=\"{Number(score.DiagnoseSeconds)}\">{Seconds(score.DiagnoseSeconds, "not diagnosed")}</td></tr>")
            .Append($"<tr><th>Wrong diagnoses</th><td class=\"wrong-diagnoses\" data-count=\"{score.WrongDiagnoses}\">{score.WrongDiagnoses}{List(score.WrongDiagnosisList)}</td></tr>")
            .Append(Row("False alarms", $"{score.FalseAlarms.Count}{(score.FalseAlarms.Count > 0 ? ": " + string.Join("; ", score.FalseAlarms) : "")}"))
            .Append($"<tr><th>Mitigation</th><td class=\"mitigation\" data-correct=\"{(score.Mitigation?.Correct == true ? "true" : "false")}\">")
            .Append(score.Mitigation is { } mitigation ? E($"{mitigation.Action} at {mitigation.Seconds:0.0} s — {(mitigation.Correct ? "correct" : "wrong")}") : "none")
            .Append($" ({score.WrongMitigations} wrong)</td></tr>")
            .Append(Row("Recovery time (steady again after the rollback)", Seconds(score.RecoverySeconds, "not steady within the recovery phase")))
            .Append(Row("Incident length (injection → steady)", Seconds(score.IncidentSeconds, "—")))
            .Append(Row("Errors users saw", $"{score.ErrorsSeen} ({score.ErrorsPerMinute:0.#} a minute)"))
            .Append($"<tr><th>Points</th><td class=\"points\" data-points=\"{score.Points}\">{score.Points}</td></tr>")
            .Append(Row("Findings", score.Findings.Count == 0 ? "—" : string.Join("; ", score.Findings)))
            .Append("</table>");
    }

    private static void Timeline(StringBuilder html, IReadOnlyList<TimelineEntry> entries)
    {
        html.Append("<table class=\"timeline\"><thead><tr><th>UTC</th><th>s</th><th>Round</th><th>What</th><th>Who</th><th>Said / happened</th><th>Check</th></tr></thead><tbody>");
        foreach (var entry in entries)
        {
            var verdict = entry.Correct switch { true => "correct", false => "wrong", _ => "unscored" };
            html.Append($"<tr class=\"entry {E(entry.Kind)} {verdict}\" data-kind=\"{E(entry.Kind)}\" data-seconds=\"{entry.Seconds.ToString(CultureInfo.InvariantCulture)}\">")
                .Append($"<td>{E(entry.At.ToString("HH:mm:ss.f", CultureInfo.InvariantCulture))}</td><td>{entry.Seconds:0.0}</td><td>{E(entry.RoundId ?? "")}</td>")
                .Append($"<td>{E(entry.Kind)}</td><td>{E(entry.By ?? "")}</td><td>{E(entry.Text)}{(entry.Secret is { } secret ? $" <span class=\"secret\">({E(secret)})</span>" : "")}</td>")
                .Append($"<td>{E(entry.Check ?? "")}</td></tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void Learning(StringBuilder html, VokeTag.Experiments.LearningNotes learning)
    {
        html.Append("<div class=\"learning\"><h3>Learning notes</h3><ul>");
        foreach (var note in learning.Watch)
        {
            html.Append($"<li><strong>{E(note.Where)}</strong>: {E(note.What)}</li>");
        }

        html.Append($"</ul><p class=\"teaches\">{E(learning.Teaches)}</p></div>");
    }

    private static string Row(string name, string value) => $"<tr><th>{E(name)}</th><td>{E(value)}</td></tr>";

    private static string List(IReadOnlyList<string> items) => items.Count == 0 ? "" : ": " + E(string.Join("; ", items));

    private static string Seconds(double? seconds, string none) => seconds is { } value ? $"{value:0.0} s" : none;

    private static string Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "";

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Style =
        "body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:1100px;color:#1f2328;background:#fff;line-height:1.45}" +
        "h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}h3{font-size:1rem}" +
        "table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}th,td{border:1px solid #d0d7de;padding:.3rem .55rem;text-align:left;vertical-align:top}" +
        "th{background:#f6f8fa;font-weight:600}.timeline{width:100%}tr.correct td:last-child{color:#1a7f37}tr.wrong td:last-child{color:#cf222e}" +
        "tr.fault-injected,tr.fault-rolled-back{background:#fff8c5}tr.note{color:#57606a}.secret{color:#8250df}.total-points,.points{font-weight:700}" +
        ".learning{background:#f6f8fa;border-left:4px solid #0969da;padding:.4rem 1rem;margin-top:1rem}.points-rule{color:#57606a;font-size:.85rem}" +
        "code{background:#f6f8fa;padding:0 .3rem;border-radius:4px}";
}
