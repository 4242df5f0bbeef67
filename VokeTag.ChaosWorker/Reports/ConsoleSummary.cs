using System.Globalization;
using System.Text;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Ledger;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>The design document's console summary: response times per phase, then one PASS/FAIL line per criterion.</summary>
public sealed class ConsoleSummary : IReportFormat
{
    public string FileName => "summary.txt";

    public string Render(ExperimentRun run)
    {
        if (run.Journal is not null)
        {
            return RenderToolkit(run);
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{run.Title.ToUpperInvariant()} EXPERIMENT RESULTS ({run.RunId}):");
        text.AppendLine(CultureInfo.InvariantCulture,
            $"  Baseline response time: {Seconds(run.Phase("baseline")?.P50)}   Impact response time: {Seconds(run.Phase("impact")?.P50)}   Recovery response time: {Seconds(run.Phase("recovery")?.P50)}");
        if (run.Phase("impact") is { } impact)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  Impact: P95 {Seconds(impact.P95)}  P99 {Seconds(impact.P99)}  error rate {Criterion.Format(impact.ErrorRate, "%")}  fallback share {Criterion.Format(impact.FallbackShare, "%")}  {impact.Requests} requests{Shed(impact)}{NotSent(impact)}");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  Impact P95 by request: {string.Join("  ", impact.P95ByKind.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key.ToString().ToLowerInvariant()} {Seconds(pair.Value)}"))}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Blast radius: {run.BlastRadius}");
        if (run.External is { } external)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  Measure-only: {external}");
        }

        if (run.Figures?.Observation(ReplicaObservations.CpuPeak) is { } cpu)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  API replicas while faults were live: CPU peak {Criterion.Format(cpu, "%")} of all cores, memory peak {Criterion.Format(run.Figures.Observation(ReplicaObservations.MemoryPeak) ?? 0, "%")}, PostgreSQL pool peak {Criterion.Format(run.Figures.Observation(ReplicaObservations.PoolPeak) ?? 0, "%")} ({run.Figures.Observation(ReplicaObservations.PoolWaitingPeak) ?? 0} waiting at most)");
        }

        if (run.Figures is { } figures)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"  Recovery time: {(figures.RecoveryTime is { } recovery ? Seconds(recovery) : "not recovered within the recovery phase")}");
            text.AppendLine(figures.Observation(ScanLedger.Acknowledged) is { } acknowledged
                ? string.Create(CultureInfo.InvariantCulture,
                    $"  Write ledger: {acknowledged} scans acknowledged, {figures.Observation(ScanLedger.Found)} found in PostgreSQL, {figures.Observation(ScanLedger.Missing)} missing, {figures.Observation(ScanLedger.Duplicates)} stored twice")
                : "  Write ledger: not checked (PostgreSQL could not be read)");
        }

        text.AppendLine("HYPOTHESIS VALIDATION:");
        if (run.Verdict is { } verdict)
        {
            foreach (var result in verdict.Results)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {result}");
            }

            if (run.Error is { } error)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {run.Status.ToString().ToUpperInvariant()}: {error}");
            }
        }
        else
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {run.Status.ToString().ToUpperInvariant()}: {run.Error}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"VERDICT: {run.Status.ToString().ToUpperInvariant()}");
        return text.ToString();
    }

    /// <summary>A Chaos Toolkit run: its log as chaos run prints it, each probe's tolerance, then the verdict.</summary>
    private static string RenderToolkit(ExperimentRun run)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{run.Title.ToUpperInvariant()} (CHAOS TOOLKIT, {run.RunId}):");
        foreach (var line in run.Log)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {line}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  Journal: status {run.Journal!["status"]}, deviated {run.Journal["deviated"]}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  Blast radius: {run.BlastRadius}");
        text.AppendLine("HYPOTHESIS VALIDATION:");
        foreach (var result in run.Verdict?.Results ?? [])
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {result}");
        }

        if (run.Error is { } error)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  {run.Status.ToString().ToUpperInvariant()}: {error}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"VERDICT: {run.Status.ToString().ToUpperInvariant()}");
        return text.ToString();
    }

    /// <summary>Requests the API shed on purpose, reported apart from errors: graceful degradation, not failed service.</summary>
    private static string Shed(PhaseStatistics phase) => phase.Shed == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture,
            $"  shed on purpose (503 + X-Shed, not errors): {phase.Shed} ({string.Join(", ", phase.ShedByKind.Select(pair => $"{pair.Value} {pair.Key.ToString().ToLowerInvariant()}"))}; " +
            $"why: {string.Join(", ", phase.ShedByReason.Select(pair => $"{pair.Key} {pair.Value}"))})");

    /// <summary>Requests the load generator did not send because too many were still unanswered: failed, and said so.</summary>
    private static string NotSent(PhaseStatistics phase) => phase.NotSent == 0
        ? ""
        : string.Create(CultureInfo.InvariantCulture,
            $"  not sent (counted as failed): {phase.NotSent}, {ConstantRateLoad.MaxInFlight} requests were already waiting for an answer");

    private static string Seconds(TimeSpan? value) => value is { } v ? v.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + "s" : "n/a";
}
