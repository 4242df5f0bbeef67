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
        text.AppendLine("| phase | requests | P50 | P95 | P99 | error rate | shed | fallback share | touched by a call fault | statuses |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
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

    private static string Ms(TimeSpan value) => value.TotalMilliseconds.ToString("0.#", CultureInfo.InvariantCulture) + " ms";
}
