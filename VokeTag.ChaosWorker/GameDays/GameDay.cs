using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// One game day as it plays: its rounds, and the timeline of everything that happened — rounds, the injected fault
/// (kept secret until the reveal when hidden), every declaration, diagnosis, mitigation and note, each checked
/// against what was injected. Actions arrive from HTTP requests while the rounds play, so all state sits behind one lock.
/// </summary>
public sealed class GameDay(string id, GameDayPlan plan, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly List<TimelineEntry> _timeline = [];
    private readonly List<GameDayRound> _rounds = [];

    public string Id { get; } = id;

    public GameDayPlan Plan { get; } = plan;

    public bool Hidden => Plan.Hidden;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public DateTimeOffset? EndedAt { get; private set; }

    /// <summary>running, ended or stopped.</summary>
    public string Status { get; private set; } = "running";

    /// <summary>True once the scenarios may be shown: from the start when not hidden, else from the reveal at the end.</summary>
    public bool Revealed { get; private set; } = !plan.Hidden;

    /// <summary>Where gameday.html is, once written.</summary>
    public string? Report { get; set; }

    /// <summary>Set once the reveal's files are written: until then an ended game day reads <c>revealing</c> through the API.</summary>
    public bool Written { get; set; }

    public IReadOnlyList<TimelineEntry> Timeline
    {
        get
        {
            lock (_gate)
            {
                return [.. _timeline];
            }
        }
    }

    public IReadOnlyList<GameDayRound> Rounds
    {
        get
        {
            lock (_gate)
            {
                return [.. _rounds];
            }
        }
    }

    public void Started() => Add(null, TimelineKinds.GameDayStarted, null,
        $"game day started: {Plan.Rounds.Count} round(s), scenario {(Hidden ? "hidden" : "shown")}, round limit {Plan.RoundLimit.TotalSeconds:0} s");

    public GameDayRound StartRound(int number, string roundId, PlannedRound planned, RoundControl control)
    {
        lock (_gate)
        {
            var round = new GameDayRound(number, roundId, planned, control, time.GetUtcNow());
            _rounds.Add(round);
            AddLocked(roundId, TimelineKinds.RoundStarted, null, $"round {number} started: traffic on, the lab settles", secret: $"scenario {planned.Scenario.Name}");
            return round;
        }
    }

    public void FaultInjected(string roundId) =>
        Add(roundId, TimelineKinds.FaultInjected, null, "fault injected", secret: string.Join("; ", RoundOf(roundId)?.Faults.Select(fault => fault.ToString()) ?? []));

    public void EndRound(GameDayRound round, ExperimentRun run)
    {
        lock (_gate)
        {
            var now = time.GetUtcNow();
            foreach (var action in run.FaultActions.Where(action => action.Action == "rollback").OrderBy(action => action.At))
            {
                AddLocked(round.Id, TimelineKinds.FaultRolledBack, null, "fault rolled back", secret: $"{action.Fault} {action.Target}", at: action.At);
            }

            var entries = _timeline.Where(entry => entry.RoundId == round.Id).ToList();
            round.End(run, RoundScore.Of(entries, round.Control.InjectedAt, Plan.RoundLimit, run), now);
            AddLocked(round.Id, TimelineKinds.RoundEnded, null, $"round {round.Number} ended: {run.Status.ToString().ToLowerInvariant()}" + (run.Error is { } error && !Hidden ? $" ({error})" : ""));
        }
    }

    public void Finish(bool stopped)
    {
        lock (_gate)
        {
            Status = stopped ? "stopped" : "ended";
            EndedAt = time.GetUtcNow();
            AddLocked(null, TimelineKinds.GameDayEnded, null, stopped ? "game day stopped; the faults were rolled back" : "game day ended");
            Revealed = true;
            AddLocked(null, TimelineKinds.Reveal, null,
                "reveal: " + string.Join("; ", _rounds.Select(round => $"round {round.Number} was {round.Scenario.Name} ({string.Join(", ", round.Faults)})")));
        }
    }

    public ActionAnswer Declare(string by, string text)
    {
        lock (_gate)
        {
            var round = _rounds.LastOrDefault(candidate => !candidate.Ended);
            var live = round?.Control.InjectedAt is not null;
            var check = live ? "Incident declared; detection time counts from the injection." : "No fault is live now: recorded as a false alarm.";
            AddLocked(round?.Id, TimelineKinds.Declare, by, text, correct: live ? true : null, check: check);
            return new ActionAnswer(live ? true : null, check);
        }
    }

    public ActionAnswer Diagnose(string by, string resource, string kind)
    {
        lock (_gate)
        {
            var round = _rounds.LastOrDefault(candidate => !candidate.Ended);
            var said = $"{resource} {kind}";
            if (round?.Control.InjectedAt is null)
            {
                const string notScored = "No fault is live now: the diagnosis is recorded, not scored.";
                AddLocked(round?.Id, TimelineKinds.Diagnose, by, said, check: notScored, said: said, resource: resource);
                return new ActionAnswer(null, notScored);
            }

            var correct = DiagnosisVocabulary.IsCorrectDiagnosis(round.Faults, resource, kind);
            var check = correct ? $"Correct: {said} matches what was injected." : $"Wrong: {said} is not what was injected.";
            AddLocked(round.Id, TimelineKinds.Diagnose, by, said, correct, check, said: said, resource: resource);
            return new ActionAnswer(correct, check);
        }
    }

    /// <summary>Checks and records a mitigation; a correct one ends the fault through the round's control at once.</summary>
    public MitigationDecision Mitigate(string by, string action, string? resource)
    {
        lock (_gate)
        {
            var round = _rounds.LastOrDefault(candidate => !candidate.Ended);
            var said = resource is null ? action : $"{action} {resource}";
            if (round is null || !round.IsLive)
            {
                var notScored = round?.Control.Mitigation is not null
                    ? "The fault was already mitigated; the round is recovering. Recorded, not scored; nothing was done."
                    : "No fault is live now: the mitigation is recorded, not scored; nothing was done.";
                AddLocked(round?.Id, TimelineKinds.Mitigate, by, said, check: notScored, said: said, resource: resource);
                return new MitigationDecision(new ActionAnswer(null, notScored), null);
            }

            var correct = DiagnosisVocabulary.IsCorrectMitigation(round.Faults, action, resource);
            var (check, perform) = (correct, action) switch
            {
                (true, DiagnosisVocabulary.Wait) => ("Correct: this fault ends by itself; the round carries on until it does.", (GameDayRound?)null),
                (true, _) => ($"Correct: {resource} was at fault; the worker ends the fault now and the round moves on to recovery.", null),
                (false, DiagnosisVocabulary.Wait) => ("Wrong: this fault does not end by itself; it stays until a correct mitigation or the round's limit.", null),
                _ => ($"Wrong: {resource} is not at fault; the fault stays. The lab does the {action} for real.", round),
            };
            if (correct && action != DiagnosisVocabulary.Wait)
            {
                round.Control.Mitigate(said, resource!);
            }

            AddLocked(round.Id, TimelineKinds.Mitigate, by, said, correct, check, said: said, resource: resource);
            return new MitigationDecision(new ActionAnswer(correct, check), perform);
        }
    }

    public ActionAnswer Note(string by, string text)
    {
        lock (_gate)
        {
            AddLocked(_rounds.LastOrDefault(candidate => !candidate.Ended)?.Id, TimelineKinds.Note, by, text);
            return new ActionAnswer(null, "Note recorded.");
        }
    }

    /// <summary>Scores per team (the <c>by</c> of declarations, diagnoses and mitigations) over the ended rounds.</summary>
    public IReadOnlyDictionary<string, int> PointsByTeam()
    {
        lock (_gate)
        {
            var teams = _timeline.Where(entry => entry.Kind is TimelineKinds.Declare or TimelineKinds.Diagnose or TimelineKinds.Mitigate && entry.By is not null)
                .Select(entry => entry.By!).Distinct();
            return teams.ToDictionary(team => team, team => _rounds.Where(round => round.Ended).Sum(round =>
                RoundScore.Of([.. _timeline.Where(entry => entry.RoundId == round.Id && entry.By == team)], round.Control.InjectedAt, Plan.RoundLimit, round.Run).Points));
        }
    }

    private GameDayRound? RoundOf(string roundId)
    {
        lock (_gate)
        {
            return _rounds.FirstOrDefault(round => round.Id == roundId);
        }
    }

    private void Add(string? roundId, string kind, string? by, string text, string? secret = null)
    {
        lock (_gate)
        {
            AddLocked(roundId, kind, by, text, secret: secret);
        }
    }

    private void AddLocked(string? roundId, string kind, string? by, string text, bool? correct = null, string? check = null,
        string? secret = null, string? said = null, string? resource = null, DateTimeOffset? at = null)
    {
        var when = at ?? time.GetUtcNow();
        // In time order, equal moments as they came: rollbacks are added at the round's end, after their moment.
        _timeline.Insert(_timeline.FindLastIndex(entry => entry.At <= when) + 1,
            new TimelineEntry(when, Math.Round((when - StartedAt).TotalSeconds, 3), roundId, kind, by, text, correct, check, secret)
            {
                Said = said,
                Resource = resource,
            });
    }
}

/// <summary>What the caller is told: whether the action was right (null: not scored) and one clear sentence.</summary>
public sealed record ActionAnswer(bool? Correct, string Message);

/// <summary>A checked mitigation; <see cref="WrongRestartOf"/> is the round whose lab must do a wrong restart or start for real.</summary>
public sealed record MitigationDecision(ActionAnswer Answer, GameDayRound? WrongRestartOf);
