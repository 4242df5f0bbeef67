using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;
using VokeTag.ChaosWorker.Telemetry;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Runs any <see cref="ChaosExperiment"/> through the same phases: baseline under steady load → inject its faults
/// → observe the impact under load → roll back (always, however the method ended) → measure recovery → judge the
/// hypothesis. Load runs through every phase; each phase and fault action is a span under the run's root span.
/// </summary>
public sealed class ExperimentRunner(
    ConstantRateLoad load,
    ApiDiagnosticsProbe diagnostics,
    LabControlClient lab,
    ChaosTelemetry telemetry,
    TimeProvider time,
    ILogger<ExperimentRunner> logger)
{
    private static readonly TimeSpan RollbackBudget = TimeSpan.FromSeconds(60);

    public async Task<ExperimentRun> RunAsync(ChaosExperiment experiment, RunOptions options, string runId, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var hypothesis = experiment.DefineHypothesis(options);
        var phases = new List<PhaseRecord>();
        var faultActions = new List<FaultRecord>();
        var injected = new Stack<IFault>();
        using var root = telemetry.StartRun(experiment.Name, runId);
        logger.LogInformation("Run {RunId}: {Experiment} starting (baseline {Baseline}, impact {Impact}, recovery {Recovery}, {Rate}/s)",
            runId, experiment.Name, options.Baseline, options.Impact, options.Recovery, options.RatePerSecond);

        RunStatus status;
        string? error = null;
        RunFigures? figures = null;
        HypothesisVerdict? verdict = null;
        try
        {
            using (telemetry.StartPhase("warmup"))
            {
                await load.RunAsync(options.Load, options.Warmup, $"{runId}-warmup", cancellationToken);
            }

            var baseline = await LoadPhaseAsync("baseline", options, runId, phases, cancellationToken);

            using (telemetry.StartPhase("inject"))
            {
                foreach (var fault in experiment.CreateFaults(lab))
                {
                    injected.Push(fault); // before injecting: a half-done inject is rolled back too
                    telemetry.FaultInjected();
                    await FaultActionAsync("inject", fault, faultActions, fault.InjectAsync, cancellationToken);
                }
            }

            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var circuits = diagnostics.WatchAsync(watching.Token);
            var impact = await LoadPhaseAsync("impact", options, runId, phases, cancellationToken);
            await watching.CancelAsync();
            var observations = experiment.Observe(await circuits);

            await RollBackAsync(injected, faultActions);
            var recoveryPhase = await LoadPhaseAsync("recovery", options, runId, phases, cancellationToken, keepSamples: true);
            var recoveryTime = RecoveryTime.Measure(recoveryPhase.Samples, experiment.SteadyState(options), options.SustainFor);

            figures = new RunFigures(baseline.Statistics, impact.Statistics, recoveryPhase.Statistics, recoveryTime, observations);
            verdict = hypothesis.Judge(figures);
            status = verdict.Holds ? RunStatus.Passed : RunStatus.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Interrupted;
            error = "interrupted before the run completed";
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or HttpRequestException)
        {
            status = RunStatus.Error;
            error = exception.Message;
            logger.LogError("Run {RunId} could not complete: {Error}", runId, exception.Message);
        }
        finally
        {
            await RollBackAsync(injected, faultActions);
        }

        root?.SetTag("chaos.status", status.ToString().ToLowerInvariant());
        var run = new ExperimentRun(runId, experiment.Name, experiment.Title, hypothesis.Statement, status, startedAt, time.GetUtcNow(),
            phases, faultActions, figures, verdict, error);
        logger.LogInformation("Run {RunId}: {Experiment} {Status}", runId, experiment.Name, status);
        return run;
    }

    private async Task<(PhaseStatistics Statistics, IReadOnlyList<LoadSample> Samples)> LoadPhaseAsync(
        string name, RunOptions options, string runId, List<PhaseRecord> phases, CancellationToken cancellationToken, bool keepSamples = false)
    {
        using var span = telemetry.StartPhase(name);
        var duration = name switch
        {
            "baseline" => options.Baseline,
            "impact" => options.Impact,
            _ => options.Recovery,
        };
        var startedAt = time.GetUtcNow();
        var samples = await load.RunAsync(options.Load, duration, $"{runId}-{name}", cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        telemetry.Record(name, samples);
        var statistics = PhaseStatistics.From(samples, duration);
        phases.Add(new PhaseRecord(name, startedAt, time.GetUtcNow(), statistics));
        span?.SetTag("chaos.requests", statistics.Requests).SetTag("chaos.error_rate", statistics.ErrorRate);
        return (statistics, keepSamples ? samples : []);
    }

    /// <summary>Rolls back in reverse order with its own time budget: an emergency stop must not skip the rollback.</summary>
    private async Task RollBackAsync(Stack<IFault> injected, List<FaultRecord> faultActions)
    {
        using var budget = new CancellationTokenSource(RollbackBudget, time);
        while (injected.TryPop(out var fault))
        {
            try
            {
                await FaultActionAsync("rollback", fault, faultActions, fault.RollbackAsync, budget.Token);
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                logger.LogCritical("Rollback of {Fault} on {Target} failed: {Error}. Start it by hand from the dashboard.",
                    fault.Name, fault.Target, exception.Message);
            }
            finally
            {
                telemetry.FaultRolledBack();
            }
        }
    }

    private async Task FaultActionAsync(
        string action, IFault fault, List<FaultRecord> faultActions, Func<CancellationToken, Task> perform, CancellationToken cancellationToken)
    {
        using var span = telemetry.StartFaultAction(action, fault.Name, fault.Target);
        try
        {
            await perform(cancellationToken);
            faultActions.Add(new FaultRecord(action, fault.Name, fault.Target, time.GetUtcNow(), null));
        }
        catch (Exception exception)
        {
            faultActions.Add(new FaultRecord(action, fault.Name, fault.Target, time.GetUtcNow(), exception.Message));
            span?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, exception.Message);
            throw;
        }
    }
}
