using System.Globalization;
using System.Text;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>A Markdown summary for a pull request, a wiki or a game-day write-up.</summary>
public sealed class MarkdownReport : IReportFormat
{
    public string FileName => "summary.md";

    public string Render(ExperimentRun run)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# {run.Title}: {run.Status.ToString().ToUpperInvariant()}");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Run `{run.RunId}`, {run.StartedAt:u} to {run.EndedAt:u}.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"> {run.Hypothesis}");
        text.AppendLine();
        if (run.Journal is not null)
        {
            Activities(run, text);
        }
        else
        {
            text.AppendLine("| phase | requests | P50 | P95 | P99 | error rate | shed | fallback share | touched by a call fault | statuses |");
            text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        }

        foreach (var phase in run.Phases)
        {
            var s = phase.Statistics;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {phase.Name} | {s.Requests} | {Ms(s.P50)} | {Ms(s.P95)} | {Ms(s.P99)} | {Criterion.Format(s.ErrorRate, "%")} | {s.Shed} | {Criterion.Format(s.FallbackShare, "%")} | {Criterion.Format(s.AffectedShare, "%")} | {string.Join(" ", s.StatusCodes.Select(pair => $"{pair.Key}×{pair.Value}"))} |");
        }

        text.AppendLine();
        if (run.Verdict is { } verdict)
        {
            text.AppendLine("| criterion | claim | measured | expected | result |");
            text.AppendLine("|---|---|---|---|---|");
            foreach (var result in verdict.Results)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| `{result.Criterion.Name}` | {result.Criterion.Statement} | {Criterion.Format(result.Measured, result.Criterion.Unit)} | {result.Criterion.Expectation} | {(result.Passed ? "PASS" : "**FAIL**")} |");
            }
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"No verdict: {run.Error}");
        }

        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Blast radius: {run.BlastRadius}.");
        text.AppendLine();
        text.AppendLine("Fault actions:");
        foreach (var action in run.FaultActions)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {action.At:HH:mm:ss.fff} {action.Action} `{action.Fault}` on `{action.Target}`{(action.Error is null ? "" : $": {action.Error}")}");
        }

        return text.ToString();
    }

    /// <summary>A Chaos Toolkit run's activities as its journal has them: where, what, status, how long.</summary>
    private static void Activities(ExperimentRun run, StringBuilder text)
    {
        text.AppendLine(CultureInfo.InvariantCulture, $"Chaos Toolkit journal: status **{run.Journal!["status"]}**, deviated {run.Journal["deviated"]}.");
        text.AppendLine();
        text.AppendLine("| section | activity | status | duration |");
        text.AppendLine("|---|---|---|---|");
        var steadyStates = run.Journal["steady_states"];
        var sections = new[] { ("before", steadyStates?["before"]?["probes"]), ("method", run.Journal["run"]), ("after", steadyStates?["after"]?["probes"]), ("rollbacks", run.Journal["rollbacks"]) };
        foreach (var (section, records) in sections)
        {
            foreach (var record in records?.AsArray() ?? [])
            {
                var status = record?["tolerance_met"] is { } met ? $"{record["status"]}, tolerance {(met.GetValue<bool>() ? "met" : "**not met**")}" : $"{record?["status"]}";
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {section} | {record?["activity"]?["type"]} `{record?["activity"]?["name"]}` | {status} | {record?["duration"]?.GetValue<double>():0.###} s |");
            }
        }

        text.AppendLine();
    }

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
