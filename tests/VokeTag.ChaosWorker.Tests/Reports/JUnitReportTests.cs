using System.Xml.Linq;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Reports;

namespace VokeTag.ChaosWorker.Tests.Reports;

public sealed class JUnitReportTests
{
    [Theory]
    [InlineData(RunStatus.Aborted)]
    [InlineData(RunStatus.Interrupted)]
    [InlineData(RunStatus.Error)]
    public void A_run_that_did_not_finish_fails_a_case_even_when_every_criterion_held_and_no_reason_was_recorded(RunStatus status)
    {
        var held = new CriterionResult(new Criterion("before: probe", "probe within tolerance", _ => 1, VokeTag.Experiments.Comparison.AtLeast, 1, Criterion.ToleranceUnit), 1, true);
        var run = new ExperimentRun("run-1", "ctk", "CTK", "steady", status, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddSeconds(3), [], [], null,
            new HypothesisVerdict(new Hypothesis("steady", [held.Criterion]), [held]), Error: null);

        var suite = XDocument.Parse(new JUnitReport().Render(run)).Root!.Element("testsuite")!;

        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal($"{status}: no reason recorded", suite.Elements("testcase").Single(testCase => testCase.Attribute("name")!.Value == "run").Element("failure")!.Attribute("message")!.Value);
    }

    [Fact]
    public void A_run_that_passed_has_no_failing_case()
    {
        var held = new CriterionResult(new Criterion("error-rate", "few errors", _ => 0, VokeTag.Experiments.Comparison.LessThan, 0.1, "%"), 0, true);
        var run = new ExperimentRun("run-2", "redis-failure", "Redis failure", "falls back", RunStatus.Passed, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, [], [], null,
            new HypothesisVerdict(new Hypothesis("falls back", [held.Criterion]), [held]), Error: null);

        var suite = XDocument.Parse(new JUnitReport().Render(run)).Root!.Element("testsuite")!;

        Assert.Equal("0", suite.Attribute("failures")!.Value);
        Assert.Single(suite.Elements("testcase"));
    }
}
