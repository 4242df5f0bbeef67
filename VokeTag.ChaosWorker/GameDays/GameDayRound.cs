using VokeTag.ChaosWorker.Definitions;
using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// One round of a game day: the scenario drawn for it, the control it runs under, and once it ended the run's record
/// and its score card. Its id (<c>gd-…-r1</c>) is the run id, the reports folder and the fault lease's name.
/// </summary>
public sealed class GameDayRound(int number, string id, PlannedRound plan, RoundControl control, DateTimeOffset startedAt)
{
    public int Number { get; } = number;

    public string Id { get; } = id;

    public FileExperiment Scenario { get; } = plan.Scenario;

    public RunOptions Options { get; } = plan.Options with { Round = control };

    public RoundControl Control { get; } = control;

    public IReadOnlyList<RoundFault> Faults { get; } = RoundFault.Of(plan.Scenario.Definition);

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? EndedAt { get; private set; }

    public ExperimentRun? Run { get; private set; }

    public RoundScore? Score { get; private set; }

    /// <summary>Where the run's reports are, once written (at once for a shown round, at the reveal for a hidden one).</summary>
    public string? ReportsFolder { get; set; }

    public bool Ended => EndedAt is not null;

    /// <summary>Injected, not yet mitigated, and the impact phase still on: the moment a mitigation can end the fault.</summary>
    public bool IsLive => !Ended && Control.InjectedAt is not null && Control.Phase == "impact" && Control.Mitigation is null;

    public string Status => Ended ? "ended" : Control.Phase switch
    {
        "settling" => "settling",
        "baseline" => "baseline",
        "impact" => "live",
        _ => "recovering",
    };

    internal void End(ExperimentRun run, RoundScore score, DateTimeOffset at)
    {
        Run = run;
        Score = score;
        EndedAt = at;
    }
}
