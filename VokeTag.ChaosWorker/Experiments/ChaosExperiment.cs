using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// The experiment template. An experiment names its hypothesis (criteria with default thresholds), its faults and,
/// if it needs to, its steady state and observations; <see cref="ExperimentRunner"/> does the rest: baseline →
/// inject → observe impact → roll back → measure recovery → judge.
/// </summary>
public abstract class ChaosExperiment
{
    /// <summary>The id used in commands and reports, e.g. <c>redis-failure</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The heading of the report, e.g. <c>Redis failure</c>.</summary>
    public abstract string Title { get; }

    /// <summary>The options a run of this experiment starts from (its phases and load), before a request's own overrides.</summary>
    public virtual RunOptions Defaults(RunOptions lab) => lab;

    /// <summary>The impact phase's traffic: the run's, unless the experiment changes it (a traffic spike).</summary>
    public virtual LoadProfile ImpactLoad(RunOptions options) => options.Load;

    /// <summary>
    /// The faults to inject, in order, each with its moments (between baseline and impact, or into the impact phase
    /// under load, for faults whose very moment matters; until the impact phase ends, or for a while). What is still
    /// injected after the impact phase is rolled back in reverse. New instances for every run.
    /// </summary>
    public abstract IReadOnlyList<ScheduledFault> CreateFaults(FaultContext context);

    /// <summary>A fault due at or after the end of this run's impact phase, or lasting past it; empty when every moment fits.</summary>
    public virtual IEnumerable<string> TimingProblems(RunOptions options) => [];

    /// <summary>The hypothesis with this run's thresholds (<see cref="RunOptions.Threshold"/> applies overrides).</summary>
    public abstract Hypothesis DefineHypothesis(RunOptions options);

    /// <summary>The hypothesis a run judges: the experiment's own criteria plus the write ledger every run checks.</summary>
    public Hypothesis HypothesisFor(RunOptions options)
    {
        var hypothesis = DefineHypothesis(options);
        return hypothesis with { Criteria = [.. hypothesis.Criteria, .. CommonCriteria.Ledger(options.Threshold)] };
    }

    /// <summary>
    /// Stop conditions while the faults are live; by default the design document's alert levels, error rate above 5 %
    /// and P95 above 1 s over 5 s. Overridable per run by name, like criteria.
    /// </summary>
    public virtual IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
    [
        Guardrail.ErrorRate(options.Threshold, 0.05),
        Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(1)),
    ];

    /// <summary>What "recovered" means for a request; by default an answer in time that is not an error.</summary>
    public virtual Func<LoadSample, bool> SteadyState(RunOptions options) => RecoveryTime.AnsweredWithin(options.SteadyLatencyLimit);

    /// <summary>
    /// Whether the recovery phase has seen enough to decide every recovery criterion, so it can end before
    /// <see cref="RunOptions.Recovery"/> (which stays its limit): the steady state has held for
    /// <see cref="RunOptions.SustainFor"/> plus <see cref="RecoveryMargin"/>, and <see cref="RecoveryComplete"/> holds.
    /// </summary>
    public bool RecoveryDecided(RecoveryProgress progress, RunOptions options) =>
        RecoveryTime.Measure(progress.Recovery, SteadyState(options), options.SustainFor + RecoveryMargin) is not null
        && RecoveryComplete(progress, options);

    /// <summary>How much longer than the sustained window the steady state must hold before recovery may end early.</summary>
    public static readonly TimeSpan RecoveryMargin = TimeSpan.FromSeconds(2);

    /// <summary>
    /// What else an experiment's recovery criteria need to see before the phase may end early (e.g. traffic on both
    /// replicas again); by default nothing beyond the steady state.
    /// </summary>
    protected virtual bool RecoveryComplete(RecoveryProgress progress, RunOptions options) => true;

    /// <summary>Facts read from the API during the impact phase, for criteria (<see cref="RunFigures.Observation"/>).</summary>
    public virtual IReadOnlyDictionary<string, double> Observe(ReplicaObservations impactCircuits) => new Dictionary<string, double>();

    /// <summary>Criterion names, for validating threshold overrides.</summary>
    public IReadOnlyCollection<string> CriterionNames =>
        [.. HypothesisFor(new RunOptions()).Criteria.Select(criterion => criterion.Name), .. Guardrails(new RunOptions()).Select(guardrail => guardrail.Name)];
}
