using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Definitions;

/// <summary>
/// An experiment run from its file: the <see cref="ExperimentDefinition"/> read by <see cref="ExperimentFileReader"/>,
/// put in the terms <see cref="ExperimentRunner"/> runs (faults, hypothesis, guardrails, steady state).
/// </summary>
public sealed class FileExperiment(ExperimentDefinition definition) : ChaosExperiment
{
    public ExperimentDefinition Definition { get; } = definition;

    public override string Name => Definition.Name;

    public override string Title => Definition.Title;

    public override IReadOnlyList<ScheduledFault> CreateFaults(FaultContext context) => FaultFactory.Create(Definition.Faults, context);

    public override IEnumerable<string> TimingProblems(RunOptions options)
    {
        foreach (var (fault, index) in Definition.Faults.Select((fault, index) => (fault, index)))
        {
            if (fault.At >= options.Impact)
            {
                yield return $"faults[{index}] ({fault.Kind}) is injected {fault.At.Value.TotalSeconds:0.###} s into the impact phase, which this run makes {options.Impact.TotalSeconds:0.###} s long; allowed: an impact phase longer than that.";
            }
            else if ((fault.At ?? TimeSpan.Zero) + fault.For is { } end && end > options.Impact)
            {
                yield return $"faults[{index}] ({fault.Kind}) lasts until {end.TotalSeconds:0.###} s into the impact phase, which this run makes {options.Impact.TotalSeconds:0.###} s long; allowed: an impact phase that long at least.";
            }
        }
    }

    /// <summary>The file's phase lengths and load over the lab's defaults; a run's own settings override both.</summary>
    public override RunOptions Defaults(RunOptions lab) => lab with
    {
        Baseline = Definition.Phases.Baseline ?? lab.Baseline,
        Impact = Definition.Phases.Impact ?? lab.Impact,
        Recovery = Definition.Phases.Recovery ?? lab.Recovery,
        SustainFor = Definition.Phases.Sustain ?? lab.SustainFor,
        RatePerSecond = Definition.Load.RatePerSecond ?? lab.RatePerSecond,
        Mix = Definition.Load.VerifyPercent is { } verify
            ? new RequestMix(verify, Definition.Load.HistoryPercent ?? 0, Definition.Load.ScanPercent ?? 0)
            : lab.Mix,
        TagWorkingSet = Definition.Load.Tags ?? lab.TagWorkingSet,
    };

    /// <summary>A spike multiplies the rate for the whole impact phase, and may change the mix.</summary>
    public override LoadProfile ImpactLoad(RunOptions options) =>
        Definition.Faults.FirstOrDefault(fault => FaultKinds.Find(fault.Kind)!.IsLoad) is { Factor: { } factor } spike
            ? options.Load with
            {
                RatePerSecond = options.RatePerSecond * factor,
                VerifyPercent = spike.Load?.VerifyPercent ?? options.Mix.Verify,
                HistoryPercent = spike.Load?.HistoryPercent ?? options.Mix.History,
                ScanPercent = spike.Load?.ScanPercent ?? options.Mix.Scan,
            }
            : options.Load;

    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        Definition.Hypothesis,
        [.. Definition.Criteria.Select(criterion => CriterionFor(criterion, options))]);

    public override IReadOnlyList<Guardrail> Guardrails(RunOptions options) =>
    [
        .. Definition.Guardrails.Select(guardrail => guardrail.Metric switch
        {
            "error-rate" => Guardrail.ErrorRate(options.Threshold, guardrail.Limit),
            "p95" => Guardrail.P95(options.Threshold, TimeSpan.FromSeconds(guardrail.Limit)),
            "p99" => Guardrail.P99(options.Threshold, TimeSpan.FromSeconds(guardrail.Limit)),
            "api-cpu" => Guardrail.ApiCpu(options.Threshold, guardrail.Limit),
            "api-memory" => Guardrail.ApiMemory(options.Threshold, guardrail.Limit),
            _ => Guardrail.PoolWaiting(options.Threshold, guardrail.Limit),
        }),
    ];

    public override Func<LoadSample, bool> SteadyState(RunOptions options)
    {
        var answered = base.SteadyState(options);
        var (notServedFrom, notShed) = (Definition.SteadyState.NotServedFrom, Definition.SteadyState.NotShed);
        return sample => answered(sample)
            && !(notServedFrom is not null && sample.Kind == RequestKind.Verify && sample.ServedFrom == notServedFrom)
            && !(notShed && sample.Shed);
    }

    /// <summary>The recovery may end early only once every criterion on a metric that waits in recovery (replicas back) holds.</summary>
    protected override bool RecoveryComplete(RecoveryProgress progress, RunOptions options)
    {
        var waiting = Definition.Criteria.Where(criterion => Metrics.Find(criterion.Metric)!.WaitsInRecovery).ToList();
        if (waiting.Count == 0)
        {
            return true;
        }

        var soFar = new RunFigures(progress.Baseline, PhaseStatistics.Empty, progress.Statistics, null, new Dictionary<string, double>());
        return waiting.All(criterion => CriterionFor(criterion, options).Evaluate(soFar).Passed);
    }

    public override IReadOnlyDictionary<string, double> Observe(ReplicaObservations impactCircuits) =>
        Definition.Criteria
            .Where(criterion => criterion.Metric == Metrics.BreakerOpened)
            .ToDictionary(MetricMeasures.ObservationOf, criterion =>
                impactCircuits.Saw(criterion.Arguments.Dependency!, "open") || impactCircuits.Saw(criterion.Arguments.Dependency!, "half-open") ? 1.0 : 0.0);

    private static Criterion CriterionFor(CriterionDefinition criterion, RunOptions options)
    {
        var metric = Metrics.Find(criterion.Metric)!;
        return new Criterion(criterion.Name, criterion.Statement, figures => MetricMeasures.Measure(figures, criterion), criterion.Comparison,
            options.Threshold(criterion.Name, criterion.Threshold), metric.Unit)
        {
            Actions = criterion.Actions ?? ActionItems.For(criterion.Metric),
        };
    }
}
