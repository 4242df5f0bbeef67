namespace VokeTag.ChaosWorker.Experiments;

/// <summary>A stretch of a run in seconds since its start: a phase, or the time a fault was live.</summary>
/// <param name="Name">The phase, or the fault's kind.</param>
/// <param name="Target">The fault's target; null for a phase.</param>
public sealed record TimelineWindow(string Name, string? Target, double Start, double End);

/// <summary>A run record's phases and fault windows on its timeline, for charts and their data attributes.</summary>
public static class RunWindows
{
    public static IReadOnlyList<TimelineWindow> Phases(ExperimentRun run) =>
        [.. run.Phases.Select(phase => new TimelineWindow(phase.Name, null, Since(run, phase.StartedAt), Since(run, phase.EndedAt)))];

    /// <summary>Each inject paired with the next rollback of the same fault and target; one never rolled back lasts to the run's end.</summary>
    public static IReadOnlyList<TimelineWindow> Faults(ExperimentRun run)
    {
        var windows = new List<TimelineWindow>();
        var actions = run.FaultActions.OrderBy(action => action.At).ToList();
        for (var index = 0; index < actions.Count; index++)
        {
            var inject = actions[index];
            if (!inject.Action.StartsWith("inject", StringComparison.Ordinal))
            {
                continue;
            }

            var rollback = actions.Skip(index + 1).FirstOrDefault(action =>
                action.Action.StartsWith("rollback", StringComparison.Ordinal) && action.Fault == inject.Fault && action.Target == inject.Target);
            windows.Add(new TimelineWindow(inject.Fault, inject.Target, Since(run, inject.At), Since(run, rollback?.At ?? run.EndedAt)));
        }

        return windows;
    }

    public static double Since(ExperimentRun run, DateTimeOffset at) => Math.Round((at - run.StartedAt).TotalSeconds, 3);
}
