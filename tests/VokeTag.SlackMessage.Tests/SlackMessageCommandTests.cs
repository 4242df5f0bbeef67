using System.Text.Json;

namespace VokeTag.SlackMessage.Tests;

public class SlackMessageCommandTests
{
    [Fact]
    public void Prints_the_webhook_payload_of_the_runs_folder()
    {
        var (exit, output, errors) = Run(Fixture.Runs("one-failed"), "--title", "Weekly chaos run", "--link", "https://github.com/voketag/lab/actions/runs/42");

        Assert.Equal(0, exit);
        Assert.Empty(errors);
        var text = JsonDocument.Parse(output).RootElement.GetProperty("text").GetString();
        Assert.Equal(
            "Weekly chaos run: 1 of 3 experiments did not hold. Failed: database-partition (failed: verify-success, fail-fast-p99). Details: https://github.com/voketag/lab/actions/runs/42",
            text);
    }

    [Fact]
    public void A_malformed_report_is_named_on_stderr_with_exit_1_and_nothing_to_post()
    {
        var (exit, output, errors) = Run(Fixture.Runs("malformed"));

        Assert.Equal(1, exit);
        Assert.Empty(output);
        Assert.StartsWith("slack-message: ", errors);
        Assert.Contains(Path.Combine("20261206-040000-redis-failure-0badf0", "junit.xml") + " is not well-formed XML", errors);
    }

    [Fact]
    public void No_reports_still_give_a_message_that_says_so()
    {
        using var runs = new TemporaryRuns();

        var (exit, output, errors) = Run(runs.Path);

        Assert.Equal(0, exit);
        Assert.Contains($"no run reports (*/junit.xml) in {runs.Path}", errors);
        Assert.StartsWith($"Chaos run: no run reports in {runs.Path}", JsonDocument.Parse(output).RootElement.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("--link", "ftp://example.org/run", "--link is 'ftp://example.org/run'; allowed: an absolute http(s) URL.")]
    [InlineData("--link", "actions/runs/42", "--link is 'actions/runs/42'")]
    [InlineData("--title", null, "--title needs a value.")]
    [InlineData("--channel", "#chaos", "'--channel' is not an option.")]
    [InlineData("runs", "more-runs", "one runs folder only ('runs' and 'more-runs').")]
    public void Bad_arguments_are_refused_by_name_with_exit_2(string name, string? value, string message)
    {
        var (exit, output, errors) = Run(value is null ? [name] : [name, value]);

        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains($"slack-message: {message}", errors);
        Assert.Contains(SlackMessageCommand.Usage, errors);
    }

    private static (int Exit, string Output, string Errors) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var exit = SlackMessageCommand.Run(args, output, errors);
        return (exit, output.ToString(), errors.ToString());
    }
}
