using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Reports;
using VokeTag.Experiments;

namespace VokeTag.SlackMessage.Tests;

public class RunReportReaderTests
{
    [Fact]
    public void Runs_that_all_held_are_read_in_run_id_order()
    {
        var runs = RunReportReader.ReadAll(Fixture.Runs("all-passed"));

        Assert.Equal(["network-latency", "high-cpu", "redis-failure"], runs.Select(run => run.Experiment));
        Assert.All(runs, run => Assert.True(run.Held));
        Assert.All(runs, run => Assert.Empty(run.FailedCriteria));
        Assert.Equal("20261206-030122-redis-failure-6795c1", runs[2].RunId);
    }

    [Fact]
    public void A_failed_experiment_names_each_criterion_that_did_not_hold()
    {
        var runs = RunReportReader.ReadAll(Fixture.Runs("one-failed"));

        var failed = Assert.Single(runs, run => !run.Held);
        Assert.Equal(("database-partition", "failed", null), (failed.Experiment, failed.Status, failed.Reason));
        Assert.Equal(
            [
                new FailedCriterion("verify-success", "Cached verifications keep succeeding (verify-success 92.9%, expected >= 99%)"),
                new FailedCriterion("fail-fast-p99", "Fails fast: P99 within the database's 0.5 s budget plus margin (fail-fast-p99 1.961s, expected <= 1.000s)"),
            ],
            failed.FailedCriteria);
    }

    [Fact]
    public void Runs_that_did_not_complete_say_how_they_ended_and_why()
    {
        var runs = RunReportReader.ReadAll(Fixture.Runs("error-and-aborted"));

        var aborted = runs[0];
        Assert.Equal(("pod-failure", "aborted", "stop condition guard-error-rate: 7% over the last 5 s, limit 5%"), (aborted.Experiment, aborted.Status, aborted.Reason));
        Assert.Equal(["success-rate", "replica-back-by-itself-s", "replicas-serving", "recovery-time"], aborted.FailedCriteria.Select(criterion => criterion.Name));

        var error = runs[1];
        Assert.Equal(("region-outage", "error"), (error.Experiment, error.Status));
        Assert.StartsWith("the lab was not in its steady state before the fault", error.Reason);
        Assert.Empty(error.FailedCriteria);
    }

    [Fact]
    public void The_status_in_run_json_wins_when_the_JUnit_file_shows_no_failure()
    {
        // A Chaos Toolkit run aborted by chaoslib has no error message, so JUnitReport writes no "run" test case.
        var toolkit = RunReportReader.ReadAll(Fixture.Runs("error-and-aborted"))[2];

        Assert.Equal(("redis-outage", "aborted"), (toolkit.Experiment, toolkit.Status));
        Assert.False(toolkit.Held);
    }

    [Fact]
    public void A_run_json_that_says_passed_does_not_clear_a_failed_criterion()
    {
        using var runs = new TemporaryRuns();
        runs.Write("20261206-050000-redis-failure-abc123", "junit.xml", JUnit("redis-failure", """<testcase name="error-rate"><failure message="FAIL: x" /></testcase>"""));
        runs.Write("20261206-050000-redis-failure-abc123", "run.json", """{ "status": "passed", "error": null }""");

        Assert.Equal("failed", Assert.Single(RunReportReader.ReadAll(runs.Path)).Status);
    }

    [Fact]
    public void Malformed_XML_is_refused_naming_the_file_and_the_line()
    {
        var problem = Assert.Throws<InvalidDataException>(() => RunReportReader.ReadAll(Fixture.Runs("malformed")));

        Assert.Contains(Path.Combine("20261206-040000-redis-failure-0badf0", "junit.xml"), problem.Message);
        Assert.Contains("is not well-formed XML", problem.Message);
        Assert.Contains("Line 8", problem.Message);
    }

    [Theory]
    [InlineData("junit.xml", "<html><body>502 Bad Gateway</body></html>", "its root element is <html>, not <testsuites>")]
    [InlineData("junit.xml", "<testsuites />", "holds no <testsuite>")]
    [InlineData("junit.xml", "<testsuites><testsuite tests=\"0\" /></testsuites>", "<testsuite> has no name attribute")]
    [InlineData("run.json", "{ \"status\": ", "is not valid JSON")]
    [InlineData("run.json", "[]", "has no \"status\"")]
    public void A_file_that_is_not_a_chaos_report_is_refused_by_name(string fileName, string content, string message)
    {
        using var runs = new TemporaryRuns();
        runs.Write("20261206-050000-redis-failure-abc123", "junit.xml", JUnit("redis-failure", """<testcase name="error-rate" />"""));
        var file = runs.Write("20261206-050000-redis-failure-abc123", fileName, content);

        var problem = Assert.Throws<InvalidDataException>(() => RunReportReader.ReadAll(runs.Path));

        Assert.StartsWith(file, problem.Message);
        Assert.Contains(message, problem.Message);
    }

    [Fact]
    public void A_missing_or_empty_runs_folder_holds_no_runs()
    {
        using var runs = new TemporaryRuns();
        Directory.CreateDirectory(Path.Combine(runs.Path, "20261206-050000-redis-failure-abc123")); // a run that wrote nothing yet

        Assert.Empty(RunReportReader.ReadAll(runs.Path));
        Assert.Empty(RunReportReader.ReadAll(Path.Combine(runs.Path, "absent")));
    }

    [Fact]
    public void A_report_without_a_single_criterion_is_never_counted_as_held()
    {
        using var runs = new TemporaryRuns();
        runs.Write("20261206-050000-redis-failure-abc123", "junit.xml", JUnit("redis-failure", ""));

        var run = Assert.Single(RunReportReader.ReadAll(runs.Path));

        Assert.Equal(("error", "its report holds no criterion"), (run.Status, run.Reason));
    }

    [Fact]
    public void Reads_what_the_workers_JUnitReport_writes()
    {
        var fallback = new Criterion("fallback-share", "System successfully falls back to database", _ => 0.0, Comparison.GreaterThan, 0.8, "%");
        var errorRate = new Criterion("error-rate", "Error rate stays low while Redis is down", _ => 0.0, Comparison.LessThan, 0.1, "%");
        var hypothesis = new Hypothesis("When Redis fails, reads fall back to PostgreSQL", [fallback, errorRate]);
        var started = new DateTimeOffset(2026, 12, 6, 5, 0, 0, TimeSpan.Zero);
        var failed = new ExperimentRun("20261206-050000-redis-failure-abc123", "redis-failure", "Redis failure", hypothesis.Statement,
            RunStatus.Failed, started, started.AddSeconds(40), [], [], null,
            new HypothesisVerdict(hypothesis, [new CriterionResult(fallback, 0.0, false), new CriterionResult(errorRate, 0.02, true)]), null);
        var aborted = failed with
        {
            RunId = "20261206-050100-redis-failure-def456", Status = RunStatus.Aborted, Error = "stop condition guard-error-rate: 8% over the last 5 s, limit 5%",
        };
        using var runs = new TemporaryRuns();
        runs.Write(failed.RunId, "junit.xml", new JUnitReport().Render(failed));
        runs.Write(aborted.RunId, "junit.xml", new JUnitReport().Render(aborted));

        var read = RunReportReader.ReadAll(runs.Path);

        Assert.Equal(
            [
                new FailedCriterion("fallback-share", "System successfully falls back to database (fallback-share 0%, expected > 80%)"),
            ],
            read[0].FailedCriteria);
        Assert.Equal(("redis-failure", failed.RunId, "failed", null), (read[0].Experiment, read[0].RunId, read[0].Status, read[0].Reason));
        Assert.Equal(("aborted", aborted.Error), (read[1].Status, read[1].Reason));
        Assert.Equal(read[0].FailedCriteria, read[1].FailedCriteria);
    }

    private static string JUnit(string experiment, string cases) =>
        $"""<testsuites><testsuite name="chaos.{experiment}" tests="1" failures="0">{cases}</testsuite></testsuites>""";
}
