using VokeTag.ChaosWorker.Guardrails;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// What a game day round tells <see cref="Experiments.ExperimentRunner"/> and hears back from it: whether the scenario
/// is hidden, when a correct mitigation ends the fault, which resources the team took down on purpose; and the
/// round's phase and moment of injection as the runner reaches them.
/// </summary>
public sealed class RoundControl(string roundId, bool hidden, TimeProvider time, Action<DateTimeOffset>? injected = null) : IDisposable
{
    private readonly CancellationTokenSource _mitigated = new();
    private readonly Lock _gate = new();
    private volatile string _phase = "settling";

    public string RoundId { get; } = roundId;

    public bool Hidden { get; } = hidden;

    /// <summary>Resources the team restarted wrongly: guardrails let them be down for a while.</summary>
    public GuardrailExemptions Exemptions { get; } = new(time);

    /// <summary>settling, baseline, impact, recovery: the phase the runner is in.</summary>
    public string Phase => _phase;

    public DateTimeOffset? InjectedAt { get; private set; }

    /// <summary>The correct mitigation that ended the fault, once one came.</summary>
    public RoundMitigation? Mitigation { get; private set; }

    /// <summary>Cancelled by a correct mitigation: the impact phase ends and the runner rolls the faults back.</summary>
    public CancellationToken Mitigated => _mitigated.Token;

    /// <summary>The first correct mitigation wins; false when one already came.</summary>
    public bool Mitigate(string action, string target)
    {
        lock (_gate)
        {
            if (Mitigation is not null)
            {
                return false;
            }

            Mitigation = new RoundMitigation(action, target, time.GetUtcNow());
        }

        _mitigated.Cancel();
        return true;
    }

    internal void Entered(string phase) => _phase = phase;

    internal void FaultInjected()
    {
        lock (_gate)
        {
            if (InjectedAt is not null)
            {
                return;
            }

            InjectedAt = time.GetUtcNow();
        }

        injected?.Invoke(InjectedAt.Value);
    }

    public void Dispose() => _mitigated.Dispose();
}

/// <summary>A correct mitigation as it came: e.g. <c>restart cache</c>.</summary>
public sealed record RoundMitigation(string Action, string Target, DateTimeOffset At);
