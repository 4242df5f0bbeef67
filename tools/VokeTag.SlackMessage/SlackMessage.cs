using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VokeTag.SlackMessage;

/// <summary>
/// What the team reads when a chaos run fails: <see cref="Text"/> is the notification line (the same shape as the
/// headless run's last line), <see cref="Body"/> names each experiment that did not hold and its criteria, in Slack's
/// mrkdwn. <see cref="ToPayload"/> is the JSON an incoming webhook takes.
/// </summary>
public sealed record SlackMessage(string Text, string Body, string? Link)
{
    /// <summary>Slack refuses a section whose text is longer; what does not fit is counted, not cut mid-line.</summary>
    public const int SectionLimit = 3000;

    private const int LineLimit = 400;
    private const int FooterRoom = 300; // the "… and N more" and "Held" lines

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // readable ×, ↔, —; the payload goes to Slack, not into HTML
    };

    public static SlackMessage Compose(IReadOnlyList<RunOutcome> runs, string runsDirectory, string title, string? link)
    {
        var failed = runs.Where(run => !run.Held).ToList();
        var held = runs.Where(run => run.Held).ToList();
        var text = runs.Count == 0 ? $"{title}: no run reports in {runsDirectory}: the lab did not come up, or the run stopped before its first experiment ended. See the job log."
            : failed.Count == 0 ? $"{title}: all {runs.Count} experiments held."
            : $"{title}: {failed.Count} of {runs.Count} experiments did not hold. Failed: {string.Join("; ", failed.Select(Headline))}.";
        text = Shorten(text, SectionLimit);

        var body = new List<string>
        {
            runs.Count == 0 ? $":warning: *{Escape(title)}*: no run reports (`*/{RunReportReader.FileName}`) in `{Escape(runsDirectory)}`: the lab did not come up, or the run stopped before its first experiment ended."
            : failed.Count == 0 ? $":white_check_mark: *{Escape(title)}*: all {runs.Count} experiments held."
            : $":rotating_light: *{Escape(title)}*: {failed.Count} of {runs.Count} experiments did not hold.",
        };
        var length = body[0].Length;
        var shown = 0;
        foreach (var lines in failed.Select(Lines))
        {
            var needed = lines.Sum(line => line.Length + 1);
            if (length + needed > SectionLimit - FooterRoom)
            {
                break;
            }

            body.AddRange(lines);
            length += needed;
            shown++;
        }

        if (shown < failed.Count)
        {
            body.Add($"… and {failed.Count - shown} more that did not hold: see the test report.");
        }

        if (failed.Count > 0 && held.Count > 0)
        {
            body.Add(Shorten($"Held ({held.Count}): {Escape(string.Join(", ", held.Select(run => run.Experiment)))}", FooterRoom - 60));
        }

        return new SlackMessage(link is null ? text : $"{text} Details: {link}", string.Join('\n', body), link);
    }

    public string ToPayload()
    {
        var blocks = new JsonArray(Section(Body));
        if (Link is not null)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = $"<{Link}|Job log, test report and the runs/ artifact>" }),
            });
        }

        return new JsonObject { ["text"] = Escape(Text), ["blocks"] = blocks }.ToJsonString(Json);
    }

    /// <summary>As the headless run names a failure: <c>database-partition (failed: verify-success, fail-fast-p99)</c>.</summary>
    private static string Headline(RunOutcome run) =>
        run.FailedCriteria.Count == 0 ? $"{run.Experiment} ({run.Status})"
            : $"{run.Experiment} ({run.Status}: {string.Join(", ", run.FailedCriteria.Select(criterion => criterion.Name))})";

    private static List<string> Lines(RunOutcome run) =>
    [
        Shorten($"• *{Escape(run.Experiment)}* — {run.Status}{(run.Reason is null ? "" : ": " + Escape(run.Reason))}", LineLimit),
        .. run.FailedCriteria.Select(criterion => Shorten($"      ◦ `{Escape(criterion.Name)}`: {Escape(criterion.Message)}", LineLimit)),
    ];

    private static JsonObject Section(string mrkdwn) => new()
    {
        ["type"] = "section",
        ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = mrkdwn },
    };

    /// <summary>Slack reads &amp;, &lt; and &gt; as its own markup ("expected &lt; 10%" would start a link).</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");

    private static string Shorten(string text, int limit) => text.Length <= limit ? text : text[..(limit - 1)] + "…";
}
