using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

public enum RunStatus
{
    Running,

    /// <summary>Every criterion of the hypothesis held.</summary>
    Passed,

    /// <summary>The run completed and at least one criterion failed.</summary>
    Failed,

    /// <summary>Stopped from outside (emergency stop, shutdown); faults were rolled back.</summary>
    Interrupted,

    /// <summary>The run could not complete (e.g. a fault could not be injected); faults were rolled back.</summary>
    Error,

    /// <summary>A stop condition ended the run early (e.g. the lab undid the faults); faults were rolled back.</summary>
    Aborted,
}

/// <summary>One phase as it happened: when, and what the load measured.</summary>
public sealed record PhaseRecord(string Name, DateTimeOffset StartedAt, DateTimeOffset EndedAt, PhaseStatistics Statistics);

/// <summary>One fault action as it happened (inject or rollback), with its outcome.</summary>
public sealed record FaultRecord(string Action, string Fault, string Target, DateTimeOffset At, string? Error);

/// <summary>The journal of a run: data, so that every report format is a view of the same record.</summary>
public sealed record ExperimentRun(
    string RunId,
    string Experiment,
    string Title,
    string Hypothesis,
    RunStatus Status,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    IReadOnlyList<PhaseRecord> Phases,
    IReadOnlyList<FaultRecord> FaultActions,
    RunFigures? Figures,
    HypothesisVerdict? Verdict,
    string? Error)
{
    /// <summary>A Chaos Toolkit run's journal, in chaoslib's shape (<c>journal.json</c>); null for the lab's own experiments.</summary>
    public System.Text.Json.Nodes.JsonObject? Journal { get; init; }

    /// <summary>Measure-only mode: which engine injected the faults, and its own verdict beside the lab's.</summary>
    public string? External { get; init; }

    /// <summary>The run second by second (load, circuits, processes) from the baseline on; null where none was recorded (Chaos Toolkit runs).</summary>
    public RunTimeline? Timeline { get; init; }

    /// <summary>The run's own trace (W3C trace id, hex), for a link straight to it in the dashboard.</summary>
    public string? TraceId { get; init; }

    /// <summary>The run's root span's name (<c>chaos {experiment} {run id}</c>; a hidden round's names the round only).</summary>
    public string? TraceName { get; init; }

    /// <summary>A Chaos Toolkit run's log lines, as chaos run prints them.</summary>
    public IReadOnlyList<string> Log { get; init; } = [];

    public PhaseStatistics? Phase(string name) => Phases.FirstOrDefault(phase => phase.Name == name)?.Statistics;

    /// <summary>
    /// How much of the system the faults touched: each fault as injected (its target, and for faults the API applies to
    /// itself the replicas it reached and the share of calls), then, when call faults marked the requests they touched,
    /// the share of the impact phase's requests that were touched — measured, not the injection rate.
    /// </summary>
    public string BlastRadius
    {
        get
        {
            var injected = FaultActions.Where(action => action.Action is "inject" or "inject (external)" && action.Error is null)
                .Select(action => $"{action.Fault} ({action.Target})").Distinct().ToList();
            var stated = injected.Count > 0 ? string.Join("; ", injected) : "no fault injected";
            return Phase("impact") is { Affected: > 0 } impact
                ? $"{stated}; measured: {Criterion.Format(impact.AffectedShare, "%")} of the impact phase's requests touched ({impact.Affected} of {impact.Requests})"
                : stated;
        }
    }
}
