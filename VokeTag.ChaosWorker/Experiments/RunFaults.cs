using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.GameDays;
using VokeTag.ChaosWorker.Telemetry;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// One run's fault actions: injects its faults (each pushed before its inject, so a half-done one is undone too), plays
/// those due during the impact phase at their moments, and rolls back whatever is still injected in reverse order with
/// its own time budget. Each action is a span and a <see cref="FaultRecord"/>; a hidden game-day round's are named by
/// the round only, and the calls they make get no spans.
/// </summary>
internal sealed class RunFaults(ChaosTelemetry telemetry, TimeProvider time, ILogger logger, RoundControl? round)
{
    private static readonly TimeSpan RollbackBudget = TimeSpan.FromSeconds(60);

    private readonly Stack<IFault> _injected = new();
    private readonly List<FaultRecord> _actions = [];

    /// <summary>Every fault action so far, in order: the run's record.</summary>
    public IReadOnlyList<FaultRecord> Actions => _actions;

    /// <summary>An action the lab did not perform itself: a chaos engine's, or the team's mitigation.</summary>
    public void Record(FaultRecord action) => _actions.Add(action);

    /// <summary>The fault actions due during the impact phase, in time order from its start: injections, then early rollbacks.</summary>
    public async Task PlayScheduleAsync(IReadOnlyList<ScheduledFault> schedule, CancellationToken cancellationToken)
    {
        var actions = schedule.Where(scheduled => scheduled.At is not null).Select(scheduled => (Due: scheduled.At!.Value, Inject: true, scheduled.Fault))
            .Concat(schedule.Where(scheduled => scheduled.RollbackAt is not null).Select(scheduled => (Due: scheduled.RollbackAt!.Value, Inject: false, scheduled.Fault)))
            .OrderBy(action => action.Due).ThenBy(action => action.Inject ? 1 : 0) // a rollback due at an inject's moment goes first
            .ToList();
        var started = time.GetTimestamp();
        foreach (var (due, inject, fault) in actions)
        {
            // Never early: a timer counts whole milliseconds and may fire up to one before its time (measured: an
            // action due 3 s in ran at 2.9984 s), so wait again for what is left, rounded up.
            while (due - time.GetElapsedTime(started) is { } wait && wait > TimeSpan.Zero)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
            }

            if (inject)
            {
                await InjectAsync([fault], cancellationToken);
            }
            else if (_injected.Contains(fault))
            {
                await ActAsync("rollback", fault, fault.RollbackAsync, cancellationToken);
                telemetry.FaultRolledBack();
                // Rolled back: no longer the final rollback's to undo (the others keep their reverse order).
                var remaining = _injected.Where(other => other != fault).Reverse().ToList();
                _injected.Clear();
                remaining.ForEach(_injected.Push);
            }
        }
    }

    /// <summary>Injects <paramref name="faults"/> in order, under one <c>inject</c> span.</summary>
    public async Task InjectAsync(IReadOnlyList<IFault> faults, CancellationToken cancellationToken)
    {
        if (faults.Count == 0)
        {
            return;
        }

        using var span = telemetry.StartPhase("inject");
        foreach (var fault in faults)
        {
            _injected.Push(fault); // before injecting: a half-done inject is rolled back too
            telemetry.FaultInjected();
            await ActAsync("inject", fault, fault.InjectAsync, cancellationToken);
        }
    }

    /// <summary>Rolls back in reverse order with its own time budget: an emergency stop must not skip the rollback.</summary>
    public async Task RollBackAsync()
    {
        using var budget = new CancellationTokenSource(RollbackBudget, time);
        while (_injected.TryPop(out var fault))
        {
            try
            {
                await ActAsync("rollback", fault, fault.RollbackAsync, budget.Token);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                if (round is { Hidden: true })
                {
                    // Safety first, without naming the scenario: what to do is the same for every fault.
                    logger.LogCritical("Rollback of a fault of hidden round {RoundId} failed. Press Emergency stop on chaos, then start any resource the dashboard shows stopped.",
                        round.RoundId);
                }
                else
                {
                    logger.LogCritical("Rollback of {Fault} on {Target} failed: {Error}. Start it by hand from the dashboard.",
                        fault.Name, fault.Target, exception.Message);
                }
            }
            finally
            {
                telemetry.FaultRolledBack();
            }
        }
    }

    private async Task ActAsync(string action, IFault fault, Func<CancellationToken, Task> perform, CancellationToken cancellationToken)
    {
        var hidden = round is { Hidden: true };
        using var span = hidden
            ? telemetry.StartHiddenFaultAction(action, round!.RoundId)
            : telemetry.StartFaultAction(action, fault.Name, fault.Target);
        if (action == "inject")
        {
            round?.FaultInjected(); // from its start: an inject that takes a while (a redeploy) is already an incident
        }

        try
        {
            // A hidden round's calls to lab control and the API get no spans: their paths would name the fault.
            using (hidden ? OpenTelemetry.SuppressInstrumentationScope.Begin() : null)
            {
                await perform(cancellationToken);
            }

            _actions.Add(new FaultRecord(action, fault.Name, fault.Target, time.GetUtcNow(), null));
        }
        catch (Exception exception)
        {
            _actions.Add(new FaultRecord(action, fault.Name, fault.Target, time.GetUtcNow(), exception.Message));
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, hidden ? "the fault action failed (shown at the reveal)" : exception.Message);
            throw;
        }
    }
}
