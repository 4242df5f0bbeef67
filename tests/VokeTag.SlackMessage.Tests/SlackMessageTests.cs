using System.Text.Json;

namespace VokeTag.SlackMessage.Tests;

public class SlackMessageTests
{
    private const string Title = "Weekly chaos run";
    private const string Link = "https://github.com/voketag/lab/actions/runs/42";

    [Fact]
    public void A_failure_names_the_experiments_and_criteria_that_did_not_hold()
    {
        var message = Compose("one-failed");

        Assert.Equal(
            "Weekly chaos run: 1 of 3 experiments did not hold. Failed: database-partition (failed: verify-success, fail-fast-p99). Details: " + Link,
            message.Text);
        Assert.Equal(
            """
            :rotating_light: *Weekly chaos run*: 1 of 3 experiments did not hold.
            • *database-partition* — failed
                  ◦ `verify-success`: Cached verifications keep succeeding (verify-success 92.9%, expected &gt;= 99%)
                  ◦ `fail-fast-p99`: Fails fast: P99 within the database's 0.5 s budget plus margin (fail-fast-p99 1.961s, expected &lt;= 1.000s)
            Held (2): redis-failure, pod-failure
            """.ReplaceLineEndings("\n"),
            message.Body);
    }

    [Fact]
    public void Runs_that_did_not_complete_say_how_they_ended_and_why()
    {
        var message = Compose("error-and-aborted");

        Assert.StartsWith(
            "Weekly chaos run: 3 of 3 experiments did not hold. Failed: pod-failure (aborted: success-rate, replica-back-by-itself-s, replicas-serving, recovery-time); region-outage (error); redis-outage (aborted).",
            message.Text);
        Assert.Contains("• *pod-failure* — aborted: stop condition guard-error-rate: 7% over the last 5 s, limit 5%\n", message.Body);
        Assert.Contains("• *region-outage* — error: the lab was not in its steady state before the fault", message.Body);
        Assert.Contains("• *redis-outage* — aborted", message.Body);
        Assert.DoesNotContain("Held", message.Body);
    }

    [Fact]
    public void All_held_says_so()
    {
        var message = SlackMessage.Compose(RunReportReader.ReadAll(Fixture.Runs("all-passed")), "runs", Title, link: null);

        Assert.Equal("Weekly chaos run: all 3 experiments held.", message.Text);
        Assert.Equal(":white_check_mark: *Weekly chaos run*: all 3 experiments held.", message.Body);
    }

    [Fact]
    public void No_reports_say_so_and_name_the_folder()
    {
        var message = SlackMessage.Compose([], "runs", Title, Link);

        Assert.StartsWith("Weekly chaos run: no run reports in runs: the lab did not come up", message.Text);
        Assert.StartsWith(":warning: *Weekly chaos run*: no run reports (`*/junit.xml`) in `runs`", message.Body);
    }

    [Fact]
    public void Slack_markup_in_the_reports_is_escaped()
    {
        var run = new RunOutcome("a<b>&c", "r1", "failed", null, [new FailedCriterion("p99", "P99 <= 1 s & <!channel>")]);

        var message = SlackMessage.Compose([run], "runs", "Title <x>", link: null);

        Assert.Contains("*a&lt;b&gt;&amp;c* — failed", message.Body);
        Assert.Contains("P99 &lt;= 1 s &amp; &lt;!channel&gt;", message.Body);
        Assert.DoesNotContain('<', message.Body);
        Assert.DoesNotContain("<", Payload(message).GetProperty("text").GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_list_stops_at_a_whole_experiment_within_Slacks_limit_and_says_how_many_more()
    {
        var runs = Enumerable.Range(1, 40)
            .Select(index => new RunOutcome($"experiment-{index:00}", $"r{index}", "failed", null,
                [new FailedCriterion("error-rate", $"Requests keep succeeding (error-rate {index}%, expected < 1%) " + new string('.', 60))]))
            .ToList();

        var message = SlackMessage.Compose(runs, "runs", Title, Link);

        Assert.True(message.Body.Length <= SlackMessage.SectionLimit, $"{message.Body.Length} characters");
        Assert.True(message.Text.Length <= SlackMessage.SectionLimit + Link.Length + 10, $"{message.Text.Length} characters");
        var shown = message.Body.Split('\n').Count(line => line.StartsWith("• ", StringComparison.Ordinal));
        Assert.InRange(shown, 10, 39);
        Assert.EndsWith($"… and {40 - shown} more that did not hold: see the test report.", message.Body);
        Assert.Equal(shown, message.Body.Split('\n').Count(line => line.Contains("◦ `error-rate`", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_payload_is_what_a_Slack_incoming_webhook_takes()
    {
        var payload = Payload(Compose("one-failed"));

        Assert.StartsWith("Weekly chaos run: 1 of 3 experiments did not hold.", payload.GetProperty("text").GetString());
        var blocks = payload.GetProperty("blocks");
        Assert.Equal("section", blocks[0].GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.StartsWith(":rotating_light:", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("context", blocks[1].GetProperty("type").GetString());
        Assert.Equal($"<{Link}|Job log, test report and the runs/ artifact>", blocks[1].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public void Without_a_link_there_is_no_link_block()
    {
        var payload = Payload(SlackMessage.Compose(RunReportReader.ReadAll(Fixture.Runs("one-failed")), "runs", Title, link: null));

        Assert.Equal(1, payload.GetProperty("blocks").GetArrayLength());
        Assert.DoesNotContain("Details:", payload.GetProperty("text").GetString());
    }

    private static SlackMessage Compose(string fixture) =>
        SlackMessage.Compose(RunReportReader.ReadAll(Fixture.Runs(fixture)), "runs", Title, Link);

    private static JsonElement Payload(SlackMessage message) => JsonDocument.Parse(message.ToPayload()).RootElement;
}
