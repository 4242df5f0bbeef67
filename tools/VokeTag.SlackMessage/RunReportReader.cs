using System.Text.Json;
using System.Xml;
using System.Xml.Linq;

namespace VokeTag.SlackMessage;

/// <summary>
/// Reads the reports the chaos worker writes per run, <c>runs/&lt;run-id&gt;/junit.xml</c>
/// (<c>VokeTag.ChaosWorker/Reports/JUnitReport.cs</c>): one <c>testsuite</c> named <c>chaos.&lt;experiment&gt;</c>, one test
/// case per criterion, and a test case named <c>run</c> whose failure says "Aborted: …", "Error: …" or "Interrupted: …"
/// when the run did not complete. The run's status is taken from <c>run.json</c> beside it when there is one: a run that
/// ended without an error message (a Chaos Toolkit run aborted by chaoslib) has no <c>run</c> test case.
/// </summary>
public static class RunReportReader
{
    public const string FileName = "junit.xml";
    private const string JournalFileName = "run.json";
    private const string RunCase = "run";
    private const string SuitePrefix = "chaos.";
    private const string FailPrefix = "FAIL: ";

    /// <summary>Every <c>*/junit.xml</c> under <paramref name="runsDirectory"/>, in run-id order (a run id starts with its start time).</summary>
    /// <returns>No runs when the folder is missing or holds no report.</returns>
    /// <exception cref="InvalidDataException">A report is not well-formed or not a chaos run's; the message names the file.</exception>
    public static IReadOnlyList<RunOutcome> ReadAll(string runsDirectory) =>
        !Directory.Exists(runsDirectory)
            ? []
            : Directory.EnumerateDirectories(runsDirectory)
                .Select(folder => Path.Combine(folder, FileName))
                .Where(File.Exists)
                .Order(StringComparer.Ordinal)
                .SelectMany(Read)
                .ToList();

    public static IReadOnlyList<RunOutcome> Read(string junitPath)
    {
        var outcomes = ReadJUnit(junitPath);
        var journal = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(junitPath))!, JournalFileName);
        return outcomes is [var single] && File.Exists(journal) ? [WithJournalStatus(single, journal)] : outcomes;
    }

    private static IReadOnlyList<RunOutcome> ReadJUnit(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException problem)
        {
            throw new InvalidDataException($"{path} is not well-formed XML: {problem.Message}", problem);
        }

        var root = document.Root!;
        var suites = root.Name.LocalName switch
        {
            "testsuites" => root.Elements("testsuite").ToList(),
            "testsuite" => [root],
            var other => throw new InvalidDataException($"{path} is not a JUnit report: its root element is <{other}>, not <testsuites>."),
        };
        return suites.Count == 0
            ? throw new InvalidDataException($"{path} holds no <testsuite>: not a chaos run's report.")
            : suites.Select(suite => Outcome(path, suite)).ToList();
    }

    private static RunOutcome Outcome(string path, XElement suite)
    {
        var name = (string?)suite.Attribute("name")
            ?? throw new InvalidDataException($"{path}, line {((IXmlLineInfo)suite).LineNumber}: <testsuite> has no name attribute.");
        var experiment = name.StartsWith(SuitePrefix, StringComparison.Ordinal) ? name[SuitePrefix.Length..] : name;
        var runId = suite.Element("properties")?.Elements("property")
            .FirstOrDefault(property => (string?)property.Attribute("name") == "run_id")?.Attribute("value")?.Value
            ?? Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(path)))!;

        var cases = suite.Elements("testcase").ToList();
        var failed = cases.Where(testCase => Problem(testCase) is not null).ToList();
        var criteria = failed.Where(testCase => (string?)testCase.Attribute("name") != RunCase)
            .Select(testCase => new FailedCriterion((string?)testCase.Attribute("name") ?? "(unnamed)", Message(testCase)))
            .ToList();

        if (failed.FirstOrDefault(testCase => (string?)testCase.Attribute("name") == RunCase) is { } run)
        {
            var (status, reason) = StatusAndReason(Message(run));
            return new RunOutcome(experiment, runId, status, reason, criteria);
        }

        // A report without a single criterion proves nothing: never count it as held.
        return cases.Count == 0
            ? new RunOutcome(experiment, runId, "error", "its report holds no criterion", criteria)
            : new RunOutcome(experiment, runId, criteria.Count > 0 ? "failed" : "passed", null, criteria);
    }

    /// <summary>The worker's own record of how the run ended wins over what the JUnit file implies, except to clear a failure.</summary>
    private static RunOutcome WithJournalStatus(RunOutcome outcome, string journal)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(journal));
            root = document.RootElement.Clone();
        }
        catch (JsonException problem)
        {
            throw new InvalidDataException($"{journal} is not valid JSON: {problem.Message}", problem);
        }

        var status = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("status", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{journal} has no \"status\": not a chaos run's run.json.");
        var error = root.TryGetProperty("error", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
        return outcome with { Status = status == "passed" && !outcome.Held ? outcome.Status : status, Reason = outcome.Reason ?? error };
    }

    private static XElement? Problem(XElement testCase) => testCase.Element("failure") ?? testCase.Element("error");

    private static string Message(XElement testCase)
    {
        var problem = Problem(testCase)!;
        var message = ((string?)problem.Attribute("message") is { Length: > 0 } attribute ? attribute : problem.Value).Trim();
        return message.StartsWith(FailPrefix, StringComparison.Ordinal) ? message[FailPrefix.Length..] : message;
    }

    /// <summary>"Aborted: stop condition guard-error-rate …" → (<c>aborted</c>, "stop condition guard-error-rate …").</summary>
    private static (string Status, string Reason) StatusAndReason(string message)
    {
        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && message[..colon].All(char.IsLetter)
            ? (message[..colon].ToLowerInvariant(), message[(colon + 2)..])
            : ("error", message);
    }
}
