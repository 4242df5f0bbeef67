using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>What a run would do — targets, faults, timing, traffic, criteria, guardrails — without doing any of it.</summary>
public sealed record RunPlan(
    string Experiment,
    string Title,
    string Hypothesis,
    IReadOnlyList<PlannedFault> Faults,
    string InjectedAt,
    PlannedPhases Phases,
    double RatePerSecond,
    IReadOnlyList<PlannedCheck> Criteria,
    IReadOnlyList<PlannedCheck> Guardrails,
    double LeaseSeconds,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyList<string>? Activities = null);

/// <param name="When">Its own moments, when the experiment's faults do not all share them (then the plan's injectedAt says "per fault").</param>
public sealed record PlannedFault(
    string Name, string Target, bool TakesTargetDown,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? When = null);

public sealed record PlannedPhases(double WarmupSeconds, double SettleLimitSeconds, double BaselineSeconds, double ImpactSeconds, double RecoverySeconds, double SustainSeconds);

public sealed record PlannedCheck(string Name, string Statement, string Expected);

/// <summary>
/// Plans runs and checks them against the allow-list: every fault's target must be on the lab's allow-list (the AppHost's own
/// resources), or nothing runs.
/// </summary>
public sealed class RunPlanner(LabControlClient lab, ApiChaosHooks hooks, TimeProvider time, ToolkitRunner? toolkit = null)
{
    public RunPlan Plan(ChaosExperiment experiment, RunOptions options)
    {
        if (experiment is ToolkitFileExperiment toolkitFile)
        {
            return PlanToolkit(toolkitFile, options);
        }

        var hypothesis = experiment.HypothesisFor(options);
        var faults = experiment.CreateFaults(new FaultContext(lab, hooks, options, time));
        var together = faults.Select(scheduled => scheduled.When).Distinct().Count() <= 1;
        return new RunPlan(
            experiment.Name,
            experiment.Title,
            hypothesis.Statement,
            [.. faults.Select(scheduled => new PlannedFault(scheduled.Fault.Name, scheduled.Fault.Target, scheduled.Fault.TakesTargetDown, together ? null : scheduled.When))],
            together ? faults.FirstOrDefault()?.When ?? "between baseline and impact" : "per fault",
            new PlannedPhases(options.Warmup.TotalSeconds, ExperimentRunner.SettleLimit.TotalSeconds, options.Baseline.TotalSeconds,
                options.Impact.TotalSeconds, options.Recovery.TotalSeconds, options.SustainFor.TotalSeconds),
            options.RatePerSecond,
            [.. hypothesis.Criteria.Select(criterion => new PlannedCheck(criterion.Name, criterion.Statement, criterion.Expectation))],
            [.. experiment.Guardrails(options).Select(guardrail => new PlannedCheck(guardrail.Name, guardrail.Statement,
                $"abort above {Criterion.Format(guardrail.Limit, guardrail.Unit)} over the last 5 s"))],
            ExperimentRunner.LeaseTimeToLive.TotalSeconds);
    }

    /// <summary>A Chaos Toolkit file: its activities in the order they would run (every URL, command and lab fault), no phases.</summary>
    private RunPlan PlanToolkit(ToolkitFileExperiment experiment, RunOptions options)
    {
        var plan = (toolkit ?? throw new InvalidOperationException("This planner has no Chaos Toolkit runner.")).Plan(experiment.Toolkit, options.Toolkit, dryRun: true);
        var hypothesis = experiment.DefineHypothesis(options);
        return new RunPlan(experiment.Name, experiment.Title, hypothesis.Statement, plan.Faults, "as the method's activities run",
            new PlannedPhases(0, 0, 0, 0, 0, 0), 0,
            [.. hypothesis.Criteria.Select(criterion => new PlannedCheck(criterion.Name, criterion.Statement, criterion.Expectation))],
            [], ExperimentRunner.LeaseTimeToLive.TotalSeconds, plan.Activities);
    }

    /// <returns>One problem per fault whose target is not one of the lab's resources; empty when all are.</returns>
    public async Task<IReadOnlyList<string>> CheckAllowListAsync(IEnumerable<RunPlan> plans, CancellationToken cancellationToken)
    {
        var allowed = await lab.GetTargetsAsync(cancellationToken);
        return [.. plans.SelectMany(plan => plan.Faults
            .Where(fault => !allowed.Contains(fault.Target))
            .Select(fault => $"{plan.Experiment}: fault '{fault.Name}' targets '{fault.Target}', which is not a resource of this lab; allowed: {string.Join(", ", allowed)}."))];
    }
}
