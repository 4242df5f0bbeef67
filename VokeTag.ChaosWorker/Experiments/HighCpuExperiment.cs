using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Every API replica burns 80% of every core. Verification, the critical path, must stay fast and keep succeeding
/// while the non-critical history read is shed first (503 with Retry-After); nothing crashes.
/// </summary>
public sealed class HighCpuExperiment : ChaosExperiment
{
    public const string VerifyP95 = "verify-p95";
    public const string VerifySuccess = "verify-success";
    public const string NonCriticalShed = "non-critical-shed";
    public const string Unanswered = "unanswered";
    public const string ReplicasLost = "replicas-lost";

    /// <summary>The share of every core the pressed replica burns.</summary>
    public const double CpuShare = 0.8;

    /// <summary>The pressure outlives the impact phase by this much at most if nobody releases it.</summary>
    private static readonly TimeSpan PressureMargin = TimeSpan.FromSeconds(15);

    public override string Name => "high-cpu";

    public override string Title => "High CPU";

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) =>
        [new CpuPressureFault(context.Hooks, context.Lab, CpuShare, context.Options.Impact + PressureMargin)];

    /// <summary>Recovered means the API takes on every request again: nothing failed, nothing shed.</summary>
    public override Func<LoadSample, bool> SteadyState(RunOptions options)
    {
        var answered = base.SteadyState(options);
        return sample => answered(sample) && !sample.Shed;
    }

    /// <summary>The recovery may end once every replica of the baseline has answered again (none crashed).</summary>
    protected override bool RecoveryComplete(RecoveryProgress progress, RunOptions options)
    {
        var answering = progress.Statistics.Replicas;
        return progress.Baseline.Replicas.Keys.All(answering.ContainsKey);
    }

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "When the API is short of CPU, verification stays fast (P95 < 500 ms) and keeps succeeding while non-critical requests are shed first; nothing crashes.",
        [
            new(VerifyP95, "Critical verification P95 stays under 500 ms",
                figures => figures.Impact.P95ByKind.GetValueOrDefault(RequestKind.Verify).TotalSeconds, Comparison.LessThan,
                options.Threshold(VerifyP95, 0.5), "s"),
            new(VerifySuccess, "Critical verification keeps succeeding",
                figures => figures.Impact.SuccessRateOf(RequestKind.Verify), Comparison.AtLeast, options.Threshold(VerifySuccess, 0.99), "%"),
            new(NonCriticalShed, "Non-critical requests are shed first (share of history reads answered 503 with X-Shed)",
                figures => figures.Impact.ShedShareOf(RequestKind.History), Comparison.GreaterThan, options.Threshold(NonCriticalShed, 0), "%"),
            new(Unanswered, "Every request gets an answer",
                figures => figures.Impact.CountOf(0) + figures.Recovery.CountOf(0), Comparison.AtMost, options.Threshold(Unanswered, 0), ""),
            new(ReplicasLost, "No replica crashes (the same replicas answer before and after)",
                figures => figures.Baseline.Replicas.Keys.Count(replica => !figures.Recovery.Replicas.ContainsKey(replica)),
                Comparison.AtMost, options.Threshold(ReplicasLost, 0), ""),
            CommonCriteria.RecoversWithin(options.Threshold, "Service steady again once the pressure ends"),
            CommonCriteria.NoStatus500(options.Threshold, "No request is answered with 500"),
        ]);
}
