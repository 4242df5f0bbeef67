using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.External;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Ledger;
using VokeTag.ChaosWorker.Load;
using VokeTag.ChaosWorker.Telemetry;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Runs any <see cref="ChaosExperiment"/> through the same phases: baseline under steady load → inject its faults
/// → observe the impact under load → roll back (always, however the method ended) → measure recovery → judge the
/// hypothesis. Load runs through every phase; each phase and fault action is a span under the run's root span.
/// </summary>
public sealed class ExperimentRunner(
    ConstantRateLoad load,
    ApiDiagnosticsProbe diagnostics,
    LabResourceProbe stores,
    LabControlClient lab,
    ApiChaosHooks hooks,
    ScanLedger ledger,
    RunPlanner planner,
    ToolkitRunner toolkit,
    ChaosTelemetry telemetry,
    TimelineSampler sampler,
    TimeProvider time,
    ILogger<ExperimentRunner> logger,
    IExternalFaults? external = null)
{
    /// <summary>How long the AppHost keeps a run's faults after this worker stops renewing their lease.</summary>
    public static readonly TimeSpan LeaseTimeToLive = TimeSpan.FromSeconds(5);

    /// <summary>The resources guardrails watch for staying up, unless the experiment takes them down itself.</summary>
    private static readonly string[] LabResources = ["cache", "db", "api"];

    /// <summary>How often a phase that may end early asks whether it has seen enough.</summary>
    private static readonly TimeSpan DecisionInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a run waits for the steady state before its baseline.</summary>
    public static readonly TimeSpan SettleLimit = TimeSpan.FromSeconds(60);

    public async Task<ExperimentRun> RunAsync(ChaosExperiment experiment, RunOptions options, string runId, CancellationToken cancellationToken)
    {
        if (experiment is ToolkitFileExperiment toolkitFile)
        {
            return await toolkit.RunAsync(toolkitFile, options.Toolkit, runId, cancellationToken, options.Trigger);
        }

        var startedAt = time.GetUtcNow();
        var hypothesis = experiment.HypothesisFor(options);
        var acknowledgedScans = new HashSet<string>();
        var phases = new List<PhaseRecord>();
        var faultActions = new RunFaults(telemetry, time, logger, options.Round);
        FaultLease? lease = null;
        GuardrailMonitor? monitor = null;
        PhaseStatistics? baselineStatistics = null;
        var impactStartedAt = startedAt;
        var label = options.LabelFor(experiment, runId); // a hidden game day round names itself, never its scenario
        var timeline = new TimelineRecorder(startedAt);
        using var stopSampling = new CancellationTokenSource();
        var sampling = Task.CompletedTask;
        using var root = telemetry.StartRun(label, runId, options.Trigger);
        if (options.Round is { Hidden: true })
        {
            logger.LogInformation("Run {RunId}: starting (a hidden game-day round: its scenario and settings are shown at the reveal)", runId);
        }
        else
        {
            logger.LogInformation("Run {RunId}: {Experiment} starting (baseline {Baseline}, impact {Impact}, recovery {Recovery}, {Rate}/s)",
                runId, label, options.Baseline, options.Impact, options.Recovery, options.RatePerSecond);
        }

        RunStatus status;
        string? error = null;
        string? engineSaid = null, engineVerdict = null;
        RunFigures? figures = null;
        HypothesisVerdict? verdict = null;
        try
        {
            // The allow-list again, in case the lab changed since the request was accepted (none in measure-only mode:
            // the lab injects nothing there).
            if (external is null && await planner.CheckAllowListAsync([planner.Plan(experiment, options)], cancellationToken) is { Count: > 0 } outside)
            {
                throw new InvalidOperationException(string.Join(" ", outside) + " Nothing was injected.");
            }

            await SettleAsync(experiment, options, runId, cancellationToken);

            // The report's timeline: from the baseline on, once a second, whatever happens to the run.
            sampling = sampler.RunAsync(timeline, readLab: external is null, stopSampling.Token);
            var baseline = await LoadPhaseAsync("baseline", options, runId, phases, timeline, cancellationToken);
            baselineStatistics = baseline.Statistics;
            Acknowledge(baseline.Samples, acknowledgedScans);

            // From here on faults exist: they are held by a lease the AppHost undoes if this worker dies, and
            // guardrails stop the run when the lab suffers more than the experiment may cause.
            // In measure-only mode a chaos engine injects them: the run waits until it says they are live.
            IReadOnlyList<ScheduledFault> schedule = external is null ? experiment.CreateFaults(new FaultContext(lab, hooks, options, time)) : [];
            var faults = schedule.Select(scheduled => scheduled.Fault).ToList();
            if (external is null)
            {
                lease = await lab.OpenLeaseAsync($"chaos run {runId}", LeaseTimeToLive, cancellationToken, hidden: options.Round is { Hidden: true });
            }
            else
            {
                logger.LogInformation("Run {RunId}: waiting for {Engine} to inject {Experiment}'s faults", runId, external.Engine, experiment.Name);
                var live = await external.UntilAsync(experiment.Name, state => state.Active || state.Ended, "a live fault", MeasureOnlySettings.EngineLimit, time, cancellationToken);
                faultActions.Record(new FaultRecord("inject (external)", external.Engine, experiment.Name, time.GetUtcNow(), null));
                engineSaid = live.Detail;
            }

            monitor = new GuardrailMonitor(experiment.Guardrails(options),
                external is null ? [.. LabResources.Except(faults.Where(fault => fault.TakesTargetDown).Select(fault => fault.Target))] : [], lab, time,
                options.Round?.Exemptions);
            using var faultsLive = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease?.Lost ?? CancellationToken.None, monitor.Tripped);
            cancellationToken = faultsLive.Token;
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var circuits = diagnostics.WatchAsync(watching.Token, reading =>
            {
                monitor.ObserveReplica(reading);
                timeline.Add(time.GetUtcNow(), reading); // 4 a second while faults are live: every replica's breakers, not one a second
            });
            // The stores' own CPU and memory come from lab control, which measure-only mode has not.
            var storeUsage = external is null ? stores.WatchAsync(watching.Token) : Task.FromResult<IReadOnlyDictionary<string, double>>(new Dictionary<string, double>());
            var guarding = monitor.WatchAsync(watching.Token);
            impactStartedAt = time.GetUtcNow();
            var impact = await ImpactAsync(experiment, schedule, faultActions, options, runId, phases, timeline, cancellationToken, monitor.Observe);
            options.Round?.Entered("rollback"); // a mitigation from here on comes too late to end the fault
            await watching.CancelAsync();
            await guarding;
            Acknowledge(impact.Samples, acknowledgedScans);
            var watched = await circuits;
            var observations = new Dictionary<string, double>(experiment.Observe(watched));
            foreach (var (name, peak) in watched.Peaks.Concat(await storeUsage))
            {
                observations[name] = peak;
            }

            if (options.Round?.Mitigation is { } mitigation)
            {
                // The team's mitigation, at its moment: the rollback that follows is the worker carrying it out.
                faultActions.Record(new FaultRecord("rollback", $"mitigation ({mitigation.Action})", mitigation.Target, mitigation.At, null));
            }

            await faultActions.RollBackAsync();
            if (external is not null)
            {
                logger.LogInformation("Run {RunId}: impact measured; waiting for {Engine} to recover {Experiment}'s faults", runId, external.Engine, experiment.Name);
                var ended = await external.UntilAsync(experiment.Name, state => state.Ended, "its faults recovered", MeasureOnlySettings.EngineLimit, time, cancellationToken);
                faultActions.Record(new FaultRecord("rollback (external)", external.Engine, experiment.Name, time.GetUtcNow(), null));
                (engineSaid, engineVerdict) = (ended.Detail, ended.Verdict);
            }

            foreach (var (name, value) in faults.SelectMany(fault => fault.Observations))
            {
                observations[name] = value;
            }

            var recoveryPhase = await LoadPhaseAsync("recovery", options, runId, phases, timeline, cancellationToken,
                decided: samples => experiment.RecoveryDecided(new RecoveryProgress(samples, baseline.Statistics), options));
            Acknowledge(recoveryPhase.Samples, acknowledgedScans);
            var recoveryTime = RecoveryTime.Measure(recoveryPhase.Samples, experiment.SteadyState(options), options.SustainFor);

            figures = new RunFigures(baseline.Statistics, impact.Statistics, recoveryPhase.Statistics, recoveryTime, observations);
            status = RunStatus.Passed; // until judged below, once the ledger is in
        }
        catch (OperationCanceledException) when (monitor?.Trip is { } trip)
        {
            // The figures of that moment: the impact so far, judged as far as they go.
            status = RunStatus.Aborted;
            error = $"stop condition {trip.Reason}";
            var impactSoFar = PhaseStatistics.From(monitor.Observed, monitor.Watched);
            phases.Add(new PhaseRecord("impact", impactStartedAt, trip.At, impactSoFar));
            figures = new RunFigures(baselineStatistics ?? PhaseStatistics.Empty, impactSoFar, PhaseStatistics.Empty, null, new Dictionary<string, double>());
            Acknowledge(monitor.Observed, acknowledgedScans);
            logger.LogError("Run {RunId} aborted: {Error}", runId, error);
        }
        catch (OperationCanceledException) when (lease?.Lost.IsCancellationRequested == true)
        {
            status = RunStatus.Aborted;
            error = $"the fault lease expired (this worker did not renew it within {LeaseTimeToLive.TotalSeconds:0} s), so the lab undid the faults";
            logger.LogError("Run {RunId} aborted: {Error}", runId, error);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            status = RunStatus.Interrupted;
            error = "interrupted before the run completed";
        }
        catch (Exception exception) when (exception is InvalidOperationException or TimeoutException or HttpRequestException or SteadyStateException)
        {
            status = RunStatus.Error;
            error = exception.Message;
            logger.LogError("Run {RunId} could not complete: {Error}", runId,
                options.Round is { Hidden: true } ? "(a hidden round: the reason is in its report at the reveal)" : exception.Message);
        }
        finally
        {
            options.Round?.Entered("rollback");
            await faultActions.RollBackAsync();
            if (lease is not null)
            {
                await lease.DisposeAsync();
            }

            monitor?.Dispose();
            await stopSampling.CancelAsync();
            await sampling;
        }

        if (figures is not null)
        {
            // After the rollback, so the database is back: every acknowledged write must be there, once.
            using (telemetry.StartPhase("ledger"))
            {
                var entries = await ledger.CheckAsync(acknowledgedScans, CancellationToken.None);
                figures = figures with { Observations = new Dictionary<string, double>(figures.Observations.Concat(entries)) };
            }

            verdict = hypothesis.Judge(figures);
            if (status == RunStatus.Passed && !verdict.Holds)
            {
                status = RunStatus.Failed;
            }
        }

        root?.SetTag("chaos.status", status.ToString().ToLowerInvariant());
        var run = new ExperimentRun(runId, experiment.Name, experiment.Title, hypothesis.Statement, status, startedAt, time.GetUtcNow(),
            phases, faultActions.Actions, figures, verdict, error)
        {
            Timeline = timeline.Build(phases),
            TraceId = root?.TraceId.ToHexString(),
            TraceName = root?.DisplayName,
            External = external is null
                ? null
                : $"faults injected by {external.Engine}, not the lab; its verdict: {engineVerdict ?? "none"} ({engineSaid ?? "not read"})",
        };
        logger.LogInformation("Run {RunId}: {Experiment} {Status}", runId, label, status);
        return run;
    }

    /// <summary>
    /// Warm-up that no figure counts (JIT, connection pools, the cache), then load until the steady state holds for
    /// a sustained window: a fault is only injected into a lab that is steady, or the baseline would lie.
    /// </summary>
    /// <exception cref="SteadyStateException">The steady state did not hold within <see cref="SettleLimit"/>.</exception>
    private async Task SettleAsync(ChaosExperiment experiment, RunOptions options, string runId, CancellationToken cancellationToken)
    {
        using var span = telemetry.StartPhase("warmup");
        var started = time.GetTimestamp();
        await load.RunAsync(options.Load, options.Warmup, $"{runId}-warmup", cancellationToken);
        var steady = experiment.SteadyState(options);
        for (var attempt = 1; ; attempt++)
        {
            var window = await load.RunAsync(options.Load, options.SustainFor, $"{runId}-settle{attempt}", cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (window.All(steady))
            {
                return;
            }

            if (time.GetElapsedTime(started) > SettleLimit)
            {
                var statistics = PhaseStatistics.From(window, options.SustainFor);
                throw new SteadyStateException(
                    $"the lab was not in its steady state before the fault (after {SettleLimit.TotalSeconds:0} s of warm-up, the last " +
                    $"{options.SustainFor.TotalSeconds:0.#} s had error rate {statistics.ErrorRate:P0}, P95 {statistics.P95.TotalSeconds:0.000}s, " +
                    $"statuses {string.Join(", ", statistics.StatusCodes.Select(pair => $"{pair.Key}×{pair.Value}"))}); nothing was injected.");
            }

            logger.LogInformation("Run {RunId}: not steady yet after {Seconds:0} s of warm-up", runId, time.GetElapsedTime(started).TotalSeconds);
        }
    }

    private static void Acknowledge(IEnumerable<LoadSample> samples, HashSet<string> acknowledged)
    {
        foreach (var sample in samples)
        {
            if (sample is { Kind: RequestKind.Scan, Succeeded: true, IdempotencyKey: { } key })
            {
                acknowledged.Add(key);
            }
        }
    }

    /// <summary>
    /// Injects the faults due before the impact phase, then runs the impact phase while the others are injected, and
    /// those with a duration rolled back, at their moments. A failed inject or rollback stops the load at once.
    /// </summary>
    private async Task<(PhaseStatistics Statistics, IReadOnlyList<LoadSample> Samples)> ImpactAsync(
        ChaosExperiment experiment, IReadOnlyList<ScheduledFault> schedule, RunFaults faultActions,
        RunOptions options, string runId, List<PhaseRecord> phases, TimelineRecorder timeline, CancellationToken cancellationToken, Action<LoadSample> observe)
    {
        var round = options.Round;
        await faultActions.InjectAsync([.. schedule.Where(scheduled => scheduled.At is null).Select(scheduled => scheduled.Fault)], cancellationToken);
        using var impactLoad = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var healed = new CancellationTokenSource();
        // A round's impact phase lasts until the team mitigates correctly or every fault healed by itself.
        Func<IReadOnlyCollection<LoadSample>, bool>? decided = round is null
            ? null
            : _ => round.Mitigated.IsCancellationRequested || healed.IsCancellationRequested;
        var impact = LoadPhaseAsync("impact", options, runId, phases, timeline, impactLoad.Token, observe: observe, decided: decided, profile: experiment.ImpactLoad(options));
        try
        {
            using var scheduleRuns = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, round?.Mitigated ?? CancellationToken.None);
            try
            {
                await faultActions.PlayScheduleAsync(schedule, scheduleRuns.Token);
                if (round is not null && schedule.All(scheduled => scheduled.For is not null))
                {
                    await healed.CancelAsync();
                }
            }
            catch (OperationCanceledException) when (round?.Mitigated.IsCancellationRequested == true && !cancellationToken.IsCancellationRequested)
            {
                // Mitigated before the schedule ended: what is still injected is rolled back after the phase.
            }
        }
        catch
        {
            await impactLoad.CancelAsync(); // the load stops with the failed fault action, not at the end of its phase
            await impact.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            throw;
        }

        return await impact;
    }

    /// <param name="decided">
    /// For a phase that may end early: asked every <see cref="DecisionInterval"/> with the answers so far; once it
    /// says yes no further request is sent (those in flight still count) and the phase ends.
    /// </param>
    private async Task<(PhaseStatistics Statistics, IReadOnlyList<LoadSample> Samples)> LoadPhaseAsync(
        string name, RunOptions options, string runId, List<PhaseRecord> phases, TimelineRecorder timeline, CancellationToken cancellationToken,
        Action<LoadSample>? observe = null, Func<IReadOnlyCollection<LoadSample>, bool>? decided = null, LoadProfile? profile = null)
    {
        using var span = telemetry.StartPhase(name);
        options.Round?.Entered(name);
        var duration = name switch
        {
            "baseline" => options.Baseline,
            "impact" => options.Impact,
            _ => options.Recovery,
        };
        var startedAt = time.GetUtcNow();
        var answered = new System.Collections.Concurrent.ConcurrentQueue<LoadSample>();
        using var stopSending = new CancellationTokenSource();
        var running = load.RunAsync(profile ?? options.Load, duration, $"{runId}-{name}", cancellationToken, sample =>
        {
            timeline.Add(startedAt, sample); // as it comes, so an aborted phase keeps its samples on the timeline
            observe?.Invoke(sample);
            if (decided is not null)
            {
                answered.Enqueue(sample);
            }
        }, stopSending.Token);
        var sent = duration;
        while (decided is not null && !running.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            await Task.WhenAny(running, Task.Delay(DecisionInterval, time, cancellationToken));
            if (!running.IsCompleted && decided([.. answered]))
            {
                sent = time.GetUtcNow() - startedAt;
                await stopSending.CancelAsync();
                logger.LogInformation("Run {RunId}: {Phase} decided after {Seconds:0.0} s (limit {Limit:0} s)", runId, name, sent.TotalSeconds, duration.TotalSeconds);
                break;
            }
        }

        var samples = await running;
        cancellationToken.ThrowIfCancellationRequested();
        telemetry.Record(name, samples);
        var statistics = PhaseStatistics.From(samples, sent);
        phases.Add(new PhaseRecord(name, startedAt, time.GetUtcNow(), statistics));
        span?.SetTag("chaos.requests", statistics.Requests).SetTag("chaos.error_rate", statistics.ErrorRate);
        return (statistics, samples);
    }
}
