using VokeTag.Experiments;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// A traffic spike: the load generator sends <paramref name="factor"/> times the rate (and, if given, another mix) to
/// <paramref name="target"/> for the whole impact phase. The runner applies it to the impact phase's load
/// (<c>ChaosExperiment.ImpactLoad</c>); the fault itself changes nothing in the lab, so inject and rollback only mark
/// the moments in the run's record and trace, and nothing is left behind whatever ends the run.
/// </summary>
public sealed class LoadSpikeFault(string target, double factor, LoadDefinition? mix) : IFault
{
    public string Name => mix?.VerifyPercent is { } verify
        ? $"traffic ×{factor:0.##}, mix {verify}/{mix.HistoryPercent}/{mix.ScanPercent}"
        : $"traffic ×{factor:0.##}";

    public string Target { get; } = target;

    public Task InjectAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RollbackAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
