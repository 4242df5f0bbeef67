using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Telemetry;
using VokeTag.Experiments.ChaosToolkit;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// Runs a Chaos Toolkit experiment as chaoslib's source does (steady state before, method, steady state after,
/// rollbacks by strategy; a failing action does not stop the method) and writes chaoslib's journal, with what CTK
/// lacks: lab faults under a lease, rollbacks on interrupt, and every lab fault still injected at the end undone.
/// </summary>
public sealed class ToolkitRunner(LabControlClient lab, ApiChaosHooks hooks, WorkerSettings settings, ChaosTelemetry telemetry, TimeProvider time, ILogger<ToolkitRunner> logger)
{
    /// <summary>The journal says which runner wrote it, where chaoslib writes its version.</summary>
    public const string RunnerVersion = "voketag-lab 1.0 (chaoslib 1.45.0 semantics)";

    /// <summary>A whole run's limit: chaoslib has none, the lab stops by itself.</summary>
    public static readonly TimeSpan MaxRunTime = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan RollbackBudget = TimeSpan.FromSeconds(60);

    /// <summary>The resources a run's guardrail keeps an eye on, unless its lab faults target them.</summary>
    private static readonly string[] LabResources = ["cache", "db", "api"];

    private TimeProvider Time => time;

    private ChaosTelemetry Telemetry => telemetry;

    private ILogger Logger => logger;

    /// <param name="trigger">The span that asked for the run: the run's own trace links to it.</param>
    public async Task<ExperimentRun> RunAsync(
        ToolkitFileExperiment experiment, ToolkitRunSettings runSettings, string runId, CancellationToken cancellationToken, ActivityContext trigger = default)
    {
        using var root = telemetry.StartRun(experiment.Name, runId, trigger);
        var targets = Plan(experiment.Toolkit, runSettings, dryRun: true).Faults.Select(fault => fault.Target).ToHashSet();
        var watched = LabResources.Where(resource => !targets.Contains(resource)).ToList();
        var run = new Run(this, experiment.Toolkit, runSettings, runId, new ToolkitLabFaults(lab, hooks, time, runId, experiment.Toolkit.Source, watched));
        return await run.ExecuteAsync(cancellationToken) with { TraceId = root?.TraceId.ToHexString() };
    }

    /// <summary>The configuration the lab gives every file, unless the file declares the name itself.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Injected(string runId) => new Dictionary<string, JsonNode?>
    {
        ["api_url"] = settings.ApiAddress.ToString().TrimEnd('/'),
        ["lab_run_id"] = runId,
    };

    /// <summary>Configuration and secrets as chaoslib loads them, plus the lab's own values; throws <see cref="ToolkitException"/>.</summary>
    public Substitution Values(ToolkitExperiment experiment, ToolkitRunSettings runSettings, string runId)
    {
        var configuration = ToolkitValues.LoadConfiguration(experiment.Document["configuration"] as JsonObject, runSettings.Variables, Environment.GetEnvironmentVariable);
        foreach (var (name, value) in Injected(runId).Where(pair => !configuration.ContainsKey(pair.Key)))
        {
            configuration[name] = value?.DeepClone();
        }

        return new Substitution(configuration, ToolkitValues.LoadSecrets(experiment.Document["secrets"] as JsonObject, Environment.GetEnvironmentVariable));
    }

    /// <summary>Why an http provider may not call <paramref name="url"/>, or null when it may.</summary>
    public string? Refusal(Uri url, ToolkitRunSettings runSettings) =>
        runSettings.MayCall(url, settings.ApiAddress)
            ? null
            : $"host '{url.Host}:{url.Port}' is outside the lab; http providers call the lab's API ({settings.ApiAddress.Host}:{settings.ApiAddress.Port}, ${{api_url}}) " +
              "and the hosts Chaos:AllowHosts names (e.g. Chaos:AllowHosts=localhost:9000)";

    /// <summary>
    /// What a run of <paramref name="experiment"/> would do, activity by activity (every command, every URL, every lab
    /// fault), and what stops it from running: configuration it cannot load, hosts outside the lab, lab faults it
    /// cannot read, commands not allowed (unless <paramref name="dryRun"/>: a dry run lists them, runs nothing).
    /// </summary>
    public ToolkitPlan Plan(ToolkitExperiment experiment, ToolkitRunSettings runSettings, bool dryRun)
    {
        var steps = new List<string>();
        var faults = new List<PlannedFault>();
        var problems = new List<string>();
        Substitution values;
        try
        {
            values = Values(experiment, runSettings, "planned");
        }
        catch (ToolkitException exception)
        {
            return new ToolkitPlan([], [], [$"{experiment.Name}: {exception.Message}"]);
        }

        foreach (var (where, entry) in experiment.Activities)
        {
            var activity = entry["ref"] is { } reference ? $"ref '{reference}'" : $"{entry["type"]} '{entry["name"]}'";
            if (entry["provider"] is not JsonObject provider)
            {
                steps.Add($"{where}: {activity}");
                continue;
            }

            switch (provider["type"]?.ToString())
            {
                case "http":
                    var url = values.Apply(provider["url"]?.DeepClone())?.ToString() ?? "";
                    steps.Add($"{where}: {activity}: http {(provider["method"]?.ToString() ?? "GET").ToUpperInvariant()} {url}");
                    if (Uri.TryCreate(url, UriKind.Absolute, out var address) && Refusal(address, runSettings) is { } refusal)
                    {
                        problems.Add($"{experiment.Name}: {where}: {refusal}.");
                    }

                    break;
                case "process":
                    var path = provider["path"]?.ToString() ?? "";
                    var command = ToolkitProviders.Describe(ToolkitValidationContext.Which(path) ?? path, values.Apply(provider["arguments"]?.DeepClone()));
                    steps.Add($"{where}: {activity}: process {command}");
                    if (!runSettings.ProcessAllowed && !dryRun)
                    {
                        problems.Add($"{experiment.Name}: {where}: runs the command '{command}'; commands run only from the command line, with Chaos:AllowProcess=true (Chaos:DryRun=true lists them).");
                    }

                    break;
                case "lab":
                    var substituted = (JsonObject)values.Apply(provider.DeepClone())!;
                    steps.Add($"{where}: {activity}: lab {string.Join(", ", substituted.Where(pair => pair.Key != "type").Select(pair => $"{pair.Key}={PythonText.Format(pair.Value)}"))}");
                    if (substituted["fault"]?.ToString() != "rollback")
                    {
                        try
                        {
                            var fault = ToolkitLabFaults.Read(substituted, experiment.Source, where);
                            faults.Add(new PlannedFault(fault.Kind, fault.Target, fault.Kind is "stop" or "kill", where));
                        }
                        catch (ActivityFailedException exception)
                        {
                            problems.Add($"{experiment.Name}: {exception.Message}");
                        }
                    }

                    break;
            }
        }

        return new ToolkitPlan(steps, faults, problems);
    }

    /// <summary>One run: the journal under construction and what the run has injected.</summary>
    private sealed class Run(ToolkitRunner runner, ToolkitExperiment experiment, ToolkitRunSettings runSettings, string runId, ToolkitLabFaults faults)
    {
        private readonly Lock _gate = new();
        private readonly JsonArray _records = [];
        private readonly JsonArray _during = [];
        private readonly Dictionary<string, JsonObject> _named = Named(experiment);
        private readonly List<string> _log = [];
        private Substitution _values = null!;
        private string? _status; // chaoslib's: null while all is well, then completed, failed, aborted or interrupted
        private bool _deviated;
        private string? _aborted; // why the method or the continuous hypothesis aborted
        private JsonObject? _before, _after; // kept as soon as each is judged, as chaoslib's journal keeps them

        public async Task<ExperimentRun> ExecuteAsync(CancellationToken cancellationToken)
        {
            var time = runner.Time;
            var startedAt = time.GetUtcNow();
            var clock = Stopwatch.StartNew();
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, faults.Stopped);
            limit.CancelAfter(MaxRunTime);
            string? error = null;
            var nothingRan = false;
            var document = (JsonObject)experiment.Document.DeepClone();
            document["dry"] = null;
            var journal = new JsonObject
            {
                ["chaoslib-version"] = RunnerVersion,
                ["platform"] = $"{RuntimeInformation.OSDescription} {RuntimeInformation.OSArchitecture} (.NET {Environment.Version})",
                ["node"] = Environment.MachineName,
                ["experiment"] = document,
                ["start"] = ToolkitProviders.Iso(startedAt),
            };
            try
            {
                _values = runner.Values(experiment, runSettings, runId);
                document["title"] = _values.Apply(document["title"]);
                Log($"Running experiment: {document["title"]}");
                Log($"Steady-state strategy: {experiment.HypothesisStrategy}");
                Log($"Rollbacks strategy: {experiment.RollbackStrategy}");
                foreach (var warning in experiment.Warnings)
                {
                    Log($"warning: {warning}");
                }

                await HypothesisAndMethodAsync(limit.Token);
            }
            catch (ToolkitAbort abort)
            {
                // Where chaoslib would crash (a missing ref in a hypothesis, a provider that cannot run) the lab aborts and rolls back.
                _status = "aborted";
                error = abort.Message;
                Log($"Aborted: {abort.Message}");
            }
            catch (ToolkitException exception)
            {
                // Configuration or secrets chaoslib could not load: nothing ran, nothing to roll back.
                _status = "aborted";
                error = exception.Message;
                nothingRan = true;
                Log($"Aborted before anything ran: {exception.Message}");
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested)
            {
                _status = "interrupted";
                error = faults.StopReason
                    ?? (cancellationToken.IsCancellationRequested ? "stopped (emergency stop or shutdown); rollbacks ran" : $"the run passed its limit of {MaxRunTime.TotalMinutes:0} min");
                Log($"Interrupted: {error}");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Whatever else went wrong, the run ends here, rolled back: never a fault left live or a run left running.
                _status = "aborted";
                error = $"the run failed unexpectedly: {exception.GetType().Name}: {exception.Message}";
                Log($"Aborted: {error}");
            }

            var rollbacks = nothingRan ? [] : await RollbacksAsync();
            using var rollbackBudget = new CancellationTokenSource(RollbackBudget);
            var undone = await faults.RollBackAllAsync(rollbackBudget.Token);
            if (undone.Count > 0)
            {
                Log($"The lab undid what was still injected: {string.Join(", ", undone)}");
            }

            _status ??= "completed";
            journal["status"] = _status;
            journal["deviated"] = _deviated;
            lock (_gate)
            {
                journal["steady_states"] = new JsonObject { ["before"] = _before?.DeepClone(), ["after"] = _after?.DeepClone(), ["during"] = _during.DeepClone() };
                journal["run"] = _records.DeepClone();
            }

            journal["rollbacks"] = rollbacks;
            journal["end"] = ToolkitProviders.Iso(time.GetUtcNow());
            journal["duration"] = clock.Elapsed.TotalSeconds;
            Log($"Experiment ended with status: {(_deviated ? "deviated" : _status)}");
            return Record(journal, startedAt, error ?? _aborted);
        }

        private async Task HypothesisAndMethodAsync(CancellationToken cancellationToken)
        {
            var strategy = experiment.HypothesisStrategy;
            var withHypothesis = experiment.Hypothesis?["probes"] is JsonArray { Count: > 0 };
            if (!withHypothesis)
            {
                Log("No steady state hypothesis defined. That's ok, just exploring.");
            }

            if (withHypothesis && strategy is "default" or "before-method-only" or "continuously")
            {
                var before = _before = await HypothesisAsync(cancellationToken);
                if (before["steady_state_met"]?.GetValue<bool>() != true)
                {
                    _status = AnyProbeFailed(before) ? "failed" : "completed";
                    Log($"Steady state probe '{LastProbe(before)}' is not in the given tolerance so failing this experiment");
                    return;
                }
            }

            // Stopped between iterations, never in the middle of one; joined before anything else runs.
            using var stopDuring = new CancellationTokenSource();
            var during = withHypothesis && strategy is "during-method-only" or "continuously"
                ? ContinuouslyAsync(stopDuring.Token, cancellationToken)
                : Task.CompletedTask;
            bool methodRan;
            try
            {
                methodRan = await MethodAsync(cancellationToken);
            }
            finally
            {
                await stopDuring.CancelAsync();
                await during;
            }

            cancellationToken.ThrowIfCancellationRequested();

            if (_status is not ("interrupted" or "aborted") && withHypothesis && methodRan && strategy is "default" or "after-method-only" or "continuously")
            {
                var after = _after = await HypothesisAsync(cancellationToken);
                if (after["steady_state_met"]?.GetValue<bool>() != true)
                {
                    _deviated = true;
                    _status = AnyProbeFailed(after) ? "failed" : "completed";
                    Log($"Steady state probe '{LastProbe(after)}' is not in the given tolerance so failing this experiment");
                }
            }
        }

        /// <returns>False when the method was aborted (chaoslib then skips the hypothesis after it).</returns>
        private async Task<bool> MethodAsync(CancellationToken cancellationToken)
        {
            Log("Playing your experiment's method now...");
            var background = new List<Task>();
            try
            {
                foreach (var entry in experiment.Method.OfType<JsonObject>())
                {
                    if (entry["background"]?.GetValue<bool>() == true)
                    {
                        background.Add(Task.Run(() => ActivityAsync(entry, "method", _records, cancellationToken), CancellationToken.None));
                    }
                    else
                    {
                        await ActivityAsync(entry, "method", _records, cancellationToken);
                    }

                    if (_status is "aborted" or "failed" or "interrupted")
                    {
                        break;
                    }
                }

                return true;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // chaoslib: anything but ActivityFailed aborts the method (the hypothesis after it is skipped, rollbacks play).
                _status = "aborted";
                _aborted = exception is ToolkitAbort ? exception.Message : $"{exception.GetType().Name}: {exception.Message}";
                Log($"Experiment ran into an un expected fatal error, aborting now: {_aborted}");
                return false;
            }
            finally
            {
                await Task.WhenAll(background.Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
            }
        }

        /// <summary>The hypothesis while the method runs: every <c>runtime.hypothesis.frequency</c> seconds (1 by default).</summary>
        /// <param name="stop">Ends the loop between iterations.</param>
        /// <param name="cancellationToken">The run's own: an iteration in flight finishes unless the run is stopped.</param>
        private async Task ContinuouslyAsync(CancellationToken stop, CancellationToken cancellationToken)
        {
            var (frequency, failFast) = (experiment.HypothesisFrequency, experiment.HypothesisFailFast);
            Log($"Executing the steady-state hypothesis continuously every {frequency.TotalSeconds} seconds");
            try
            {
                while (!stop.IsCancellationRequested && _status is not ("failed" or "interrupted" or "aborted"))
                {
                    var state = await HypothesisAsync(cancellationToken);
                    lock (_gate)
                    {
                        _during.Add(state);
                    }

                    if (state["steady_state_met"]?.GetValue<bool>() != true)
                    {
                        Log($"Continuous steady state probe '{LastProbe(state)}' is not in the given tolerance");
                        if (failFast)
                        {
                            _status = "failed";
                            Log("Terminating immediately the experiment after the hypothesis deviated (fail_fast)");
                            return;
                        }
                    }

                    await Task.Delay(frequency, runner.Time, stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                _status = "aborted";
                _aborted = exception.Message;
                Log($"The continuous steady-state hypothesis failed: {exception.Message}");
            }
        }

        private async Task<JsonObject> HypothesisAsync(CancellationToken cancellationToken)
        {
            var hypothesis = experiment.Hypothesis!;
            Log($"Steady state hypothesis: {hypothesis["title"]}");
            var probes = new JsonArray();
            var state = new JsonObject { ["steady_state_met"] = null, ["probes"] = probes };
            foreach (var entry in (hypothesis["probes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var record = await ActivityAsync(entry, "hypothesis", probes, cancellationToken);
                if (record["status"]?.ToString() != "succeeded")
                {
                    record["tolerance_met"] = false;
                    state["steady_state_met"] = false;
                    Log("Probe terminated unexpectedly, so its tolerance could not be validated");
                    return state;
                }

                // Substituted where chaoslib substitutes (a text tolerance, a pattern, a path, an expect), by the judge.
                var judged = await Tolerances.JudgeAsync(entry["tolerance"]?.DeepClone(), record["output"], _values, ProbeToleranceAsync, cancellationToken);
                record["tolerance_met"] = judged.Met;
                if (judged.Problem is { } problem)
                {
                    Log($"Tolerance of '{entry["name"] ?? entry["ref"]}': {problem}");
                }

                if (!judged.Met)
                {
                    state["steady_state_met"] = false;
                    return state;
                }
            }

            state["steady_state_met"] = true;
            Log("Steady state hypothesis is met!");
            return state;
        }

        /// <summary>A <c>{type: probe}</c> tolerance: the probe runs with the output as its <c>value</c> argument, and its truthiness decides.</summary>
        private async Task<bool> ProbeToleranceAsync(JsonObject tolerance, JsonNode? value, CancellationToken cancellationToken)
        {
            if (tolerance["provider"] is JsonObject provider)
            {
                var arguments = provider["arguments"] as JsonObject ?? [];
                arguments["value"] = value?.DeepClone();
                provider["arguments"] = arguments;
            }

            try
            {
                return PythonValues.IsTruthy(await ProviderAsync(tolerance, "tolerance", cancellationToken));
            }
            catch (ActivityFailedException)
            {
                return false;
            }
        }

        private async Task<JsonArray> RollbacksAsync()
        {
            var records = new JsonArray();
            var strategy = experiment.RollbackStrategy;
            var interrupted = _status == "interrupted";
            var play = interrupted // CTK skips them on interrupt; the lab plays them (and undoes its own faults anyway)
                || strategy switch
                {
                    "always" => true,
                    "never" => false,
                    "deviated" => _deviated,
                    _ => _status is not ("failed" or "interrupted"),
                };
            if (!play)
            {
                Log($"Rollbacks not played (strategy {strategy}, status {_status ?? "running"}, deviated {_deviated.ToString().ToLowerInvariant()})");
                return records;
            }

            Log(experiment.Rollbacks.Count == 0 ? "No declared rollbacks, let's move on." : "Let's rollback...");
            var background = new List<Task>();
            foreach (var entry in experiment.Rollbacks.OfType<JsonObject>())
            {
                try
                {
                    if (entry["background"]?.GetValue<bool>() == true)
                    {
                        background.Add(Task.Run(() => ActivityAsync(entry, "rollbacks", records, CancellationToken.None), CancellationToken.None));
                    }
                    else
                    {
                        // Each rollback has its own limit (its provider's timeout, at most MaxActivityTime), whatever stopped the run.
                        await ActivityAsync(entry, "rollbacks", records, CancellationToken.None);
                    }
                }
                catch (Exception exception)
                {
                    Log($"Rollback '{entry["name"] ?? entry["ref"]}' could not run: {exception.Message}");
                }
            }

            await Task.WhenAll(background.Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
            return records;
        }

        /// <summary>chaoslib's execute_activity: resolve a ref, pause, run the provider, record (appended when it starts).</summary>
        private async Task<JsonObject> ActivityAsync(JsonObject entry, string section, JsonArray records, CancellationToken cancellationToken)
        {
            var activity = entry["ref"]?.ToString() is { } reference
                ? _named.GetValueOrDefault(reference) ?? throw new ToolkitAbort($"could not find referenced activity '{reference}'")
                : entry;
            var pauses = _values.Apply(activity["pauses"]?.DeepClone()) as JsonObject;
            await PauseAsync(pauses?["before"], "before next activity", cancellationToken);
            var type = activity["type"]?.ToString() ?? "activity";
            Log($"{char.ToUpperInvariant(type[0])}{type[1..]}: {activity["name"]}{(entry["background"]?.GetValue<bool>() == true ? " [in background]" : "")}");
            var started = Stopwatch.StartNew();
            var record = new JsonObject { ["activity"] = activity.DeepClone(), ["output"] = null, ["start"] = ToolkitProviders.Iso(runner.Time.GetUtcNow()) };
            lock (_gate)
            {
                records.Add(record);
            }

            using var span = runner.Telemetry.StartPhase($"{section}: {type} {activity["name"]}");
            try
            {
                record["output"] = await ProviderAsync(activity, section, cancellationToken);
                record["status"] = "succeeded";
            }
            catch (ActivityFailedException failed)
            {
                record["status"] = "failed";
                record["exception"] = new JsonArray($"chaoslib.exceptions.ActivityFailed: {failed.Message}\n"); // as CTK's tools read it
                Log($"  => failed: {failed.Message}");
            }
            finally
            {
                record["end"] = ToolkitProviders.Iso(runner.Time.GetUtcNow());
                record["duration"] = started.Elapsed.TotalSeconds;
            }

            await PauseAsync(pauses?["after"], "after activity", cancellationToken);
            return record;
        }

        private async Task<JsonNode?> ProviderAsync(JsonObject activity, string section, CancellationToken cancellationToken)
        {
            var provider = activity["provider"] as JsonObject ?? throw new ToolkitAbort($"activity '{activity["name"]}' has no provider");
            var where = $"{section} '{activity["name"]}'";
            switch (provider["type"]?.ToString())
            {
                case "http":
                    var http = (JsonObject)_values.Apply(provider.DeepClone())!;
                    http["method"] = provider["method"]?.DeepClone(); // chaoslib does not substitute the method
                    return await ToolkitProviders.HttpAsync(http, url => runner.Refusal(url, runSettings), cancellationToken);
                case "process":
                    if (!runSettings.ProcessAllowed)
                    {
                        throw new ToolkitAbort($"{where} runs a command; commands run only from the command line with Chaos:AllowProcess=true");
                    }

                    var path = ToolkitValidationContext.Which(provider["path"]?.ToString() ?? "")
                        ?? throw new ToolkitAbort($"path '{provider["path"]}' cannot be found, in activity '{activity["name"]}'");
                    return await ToolkitProviders.ProcessAsync(path, _values.Apply(provider["arguments"]?.DeepClone()), provider["timeout"], cancellationToken);
                case "lab":
                    return await faults.RunAsync((JsonObject)_values.Apply(provider.DeepClone())!, where, cancellationToken);
                default:
                    throw new ToolkitAbort($"{where}: provider type '{provider["type"]}' cannot run here");
            }
        }

        private async Task PauseAsync(JsonNode? pause, string when, CancellationToken cancellationToken)
        {
            if (PythonValues.NumberOf(pause) is { } seconds && seconds > 0)
            {
                Log($"Pausing {when} for {seconds}s...");
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(seconds, MaxRunTime.TotalSeconds)), runner.Time, cancellationToken);
            }
            else if (PythonValues.IsTruthy(pause))
            {
                throw new ToolkitAbort($"pause {when} is '{pause}', not a number of seconds");
            }
        }

        private ExperimentRun Record(JsonObject journal, DateTimeOffset startedAt, string? error)
        {
            var (before, after) = (_before, _after);
            var results = Judged("before", before).Concat(Judged("after", after)).ToList();
            var status = _status switch
            {
                "interrupted" => faults.GuardrailFired ? RunStatus.Aborted : RunStatus.Interrupted,
                "aborted" => RunStatus.Aborted,
                _ when _status == "failed" || _deviated || results.Any(result => !result.Passed) => RunStatus.Failed,
                _ => RunStatus.Passed,
            };
            if (status == RunStatus.Failed && error is null && before?["steady_state_met"]?.GetValue<bool>() == false)
            {
                error = "the steady state did not hold before the method, so the method did not run (chaoslib: status completed, exit 0; the lab: FAILED)";
            }

            var statement = experiment.Hypothesis?["title"]?.ToString() ?? "no steady-state hypothesis: the method runs and its outputs are recorded";
            return new ExperimentRun(runId, experiment.Name, experiment.Title, statement, status, startedAt, runner.Time.GetUtcNow(), [],
                faults.Actions, null, new HypothesisVerdict(new Hypothesis(statement, [.. results.Select(result => result.Criterion)]), results), error)
            {
                Journal = journal,
                Log = [.. _log],
            };
        }

        /// <summary>Each hypothesis probe judged, as a criterion of the lab's reports: met or not met.</summary>
        private static IEnumerable<CriterionResult> Judged(string when, JsonObject? state) =>
            (state?["probes"] as JsonArray ?? []).OfType<JsonObject>().Select(probe =>
            {
                var met = probe["tolerance_met"]?.GetValue<bool>() == true;
                var name = probe["activity"]?["name"]?.ToString() ?? "probe";
                var criterion = new Criterion($"{when}: {name}", $"steady state {when} the method: {name} within tolerance",
                    _ => met ? 1 : 0, VokeTag.Experiments.Comparison.AtLeast, 1, Criterion.ToleranceUnit);
                return new CriterionResult(criterion, met ? 1 : 0, met);
            });

        private void Log(string message)
        {
            runner.Logger.LogInformation("Run {RunId}: {Message}", runId, message);
            lock (_gate)
            {
                _log.Add($"[{ToolkitProviders.Iso(runner.Time.GetUtcNow())}] {message}");
            }
        }

        private static bool AnyProbeFailed(JsonObject state) =>
            (state["probes"] as JsonArray ?? []).OfType<JsonObject>().Any(probe => probe["status"]?.ToString() != "succeeded");

        private static string LastProbe(JsonObject state) =>
            (state["probes"] as JsonArray)?.LastOrDefault()?["activity"]?["name"]?.ToString() ?? "";

        /// <summary>chaoslib's activity cache: method activities, then hypothesis probes (a later name wins); rollbacks are not in it.</summary>
        private static Dictionary<string, JsonObject> Named(ToolkitExperiment experiment)
        {
            var named = new Dictionary<string, JsonObject>();
            foreach (var entry in experiment.Method.Concat(experiment.Hypothesis?["probes"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (entry["name"]?.ToString() is { Length: > 0 } name && entry["ref"] is null)
                {
                    named[name] = entry;
                }
            }

            return named;
        }
    }
}

/// <summary>A Chaos Toolkit run's plan: its activities as they would run, its lab faults, and what stops it.</summary>
public sealed record ToolkitPlan(IReadOnlyList<string> Activities, IReadOnlyList<PlannedFault> Faults, IReadOnlyList<string> Problems);

/// <summary>What chaoslib raises past ActivityFailed (a missing ref, a provider that cannot run): the method aborts.</summary>
public sealed class ToolkitAbort(string message) : Exception(message);
