using System.Globalization;
using System.Xml.Linq;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>JUnit XML: one test case per criterion, so a CI system shows each claim of the hypothesis natively.</summary>
public sealed class JUnitReport : IReportFormat
{
    public string FileName => "junit.xml";

    public string Render(ExperimentRun run)
    {
        var cases = run.Verdict is { } verdict
            ? verdict.Results.Select(result => TestCase(run, result.Criterion.Name, result.Passed ? null : result.ToString()))
            : [];
        // A run that did not end passed or failed on its criteria (aborted, interrupted, an error) fails a case of its
        // own, with or without a message: a CI report must never show it green.
        if (run.Error is not null || run.Status is RunStatus.Aborted or RunStatus.Interrupted or RunStatus.Error)
        {
            cases = cases.Append(TestCase(run, "run", $"{run.Status}: {run.Error ?? "no reason recorded"}"));
        }

        var testCases = cases.ToList();
        var suite = new XElement("testsuite",
            new XAttribute("name", $"chaos.{run.Experiment}"),
            new XAttribute("tests", testCases.Count),
            new XAttribute("failures", testCases.Count(testCase => testCase.Element("failure") is not null)),
            new XAttribute("timestamp", run.StartedAt.ToString("s", CultureInfo.InvariantCulture)),
            new XAttribute("time", (run.EndedAt - run.StartedAt).TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)),
            new XElement("properties",
                new XElement("property", new XAttribute("name", "run_id"), new XAttribute("value", run.RunId)),
                new XElement("property", new XAttribute("name", "hypothesis"), new XAttribute("value", run.Hypothesis))),
            testCases);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("testsuites", suite)).ToString();
    }

    private static XElement TestCase(ExperimentRun run, string name, string? failure) =>
        new("testcase",
            new XAttribute("classname", $"chaos.{run.Experiment}"),
            new XAttribute("name", name),
            failure is null ? null : new XElement("failure", new XAttribute("message", failure), failure));
}
