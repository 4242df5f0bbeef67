using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// One of the two API replicas is killed under load. Nearly every request still succeeds, the lab brings the
/// replica back by itself, and traffic spreads over both replicas again.
/// </summary>
/// <remarks>
/// While the killed replica restarts it takes the CPU of a small machine, and the surviving replica may shed
/// non-critical history reads (503 with <c>X-Shed</c> and Retry-After). That is the design working — the critical
/// path is never shed — so the success rate is over the requests the API took on; shed reads are reported apart.
/// A history read that failed for any other reason (refused, reset, a 503 from a dependency) still counts.
/// </remarks>
public sealed class PodFailureExperiment : ChaosExperiment
{
    public const string SuccessRate = "success-rate";
    public const string ReplicasServing = "replicas-serving";

    /// <summary>A replica counts as serving when it answers at least this share of the recovery phase's requests.</summary>
    public const double ServingShare = 0.10;

    public override string Name => "pod-failure";

    public override string Title => "Pod failure";

    public override IReadOnlyList<IFault> CreateFaults(FaultContext context) => [new KillReplicaFault(context.Lab, "api", context.Time)];

    public override TimeSpan? InjectDuringImpactAfter => TimeSpan.FromSeconds(2);

    /// <summary>The recovery may end once the replicas serve again as the criterion asks.</summary>
    protected override bool RecoveryComplete(RecoveryProgress progress, RunOptions options) =>
        progress.Statistics.ReplicasServing(ServingShare) >= options.Threshold(ReplicasServing, 2);

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        "When one API replica is killed, at least 99% of the requests it takes on still succeed (non-critical reads it sheds on purpose are reported apart), the lab brings the replica back by itself, and traffic spreads over both replicas again.",
        [
            new(SuccessRate, "Requests keep succeeding across the kill (2xx share of impact requests not shed on purpose)",
                figures => figures.Impact.SuccessRate, Comparison.AtLeast, options.Threshold(SuccessRate, 0.99), "%"),
            new(KillReplicaFault.BackBySelfSeconds, "The lab brings the killed replica back by itself",
                figures => figures.Observation(KillReplicaFault.BackBySelfSeconds), Comparison.LessThan,
                options.Threshold(KillReplicaFault.BackBySelfSeconds, KillReplicaFault.SelfHealingWait.TotalSeconds), "s"),
            new(ReplicasServing, "Traffic spreads over both replicas again",
                figures => figures.Recovery.ReplicasServing(ServingShare), Comparison.AtLeast, options.Threshold(ReplicasServing, 2), ""),
            CommonCriteria.RecoversWithin(options.Threshold, "Service steady again after the replica returns"),
            CommonCriteria.NoStatus500(options.Threshold, "No request is answered with 500"),
        ]);
}
