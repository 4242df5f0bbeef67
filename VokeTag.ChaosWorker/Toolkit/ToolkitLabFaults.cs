using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Definitions;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Lab;
using VokeTag.Experiments.ChaosToolkit;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// The <c>lab</c> provider of one Chaos Toolkit run: <c>{type: lab, fault: stop, target: cache}</c> injects a lab fault
/// (any kind of the lab's own files but the load spike; <c>duration</c> undoes it that long after), and
/// <c>{type: lab, fault: rollback}</c> undoes the run's faults (on <c>target</c> only, when given). Every fault is
/// held by the run's lease, so the AppHost undoes it if the worker dies; and whatever is still injected when the run
/// ends is rolled back then, whatever the file's rollbacks did. While faults are live the lab's guardrail watches the
/// resources the file does not target: one of them down stops the run, as it stops the lab's own experiments.
/// </summary>
/// <param name="watched">The lab's resources the file's lab faults do not target.</param>
public sealed class ToolkitLabFaults(LabControlClient lab, ApiChaosHooks hooks, TimeProvider time, string runId, string file, IReadOnlyCollection<string> watched)
{
    private readonly Lock _gate = new();
    private readonly List<IFault> _live = [];
    private readonly List<FaultRecord> _actions = [];
    private readonly CancellationTokenSource _ended = new();
    private readonly CancellationTokenSource _stopped = new();
    private readonly SemaphoreSlim _opening = new(1, 1);
    private FaultLease? _lease;
    private GuardrailMonitor? _monitor;
    private Task _guarding = Task.CompletedTask;

    /// <summary>Every inject and rollback, for the run's report and blast radius.</summary>
    public IReadOnlyList<FaultRecord> Actions
    {
        get
        {
            lock (_gate)
            {
                return [.. _actions];
            }
        }
    }

    /// <summary>Cancelled when the run must stop: the AppHost let the lease expire (the faults are gone) or a guardrail fired.</summary>
    public CancellationToken Stopped => _stopped.Token;

    /// <summary>Why <see cref="Stopped"/> fired.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Whether a guardrail stopped the run (the lab's runs then read aborted, not interrupted).</summary>
    public bool GuardrailFired => _monitor?.Trip is not null;

    public async Task<JsonObject> RunAsync(JsonObject provider, string where, CancellationToken cancellationToken)
    {
        if (provider["fault"]?.ToString() == "rollback")
        {
            var target = provider["target"]?.ToString();
            var undone = await RollBackAsync(fault => target is null || fault.Target == target, cancellationToken);
            return new JsonObject { ["rolled_back"] = new JsonArray([.. undone.Select(name => JsonValue.Create(name))]) };
        }

        var definition = Read(provider, file, where);
        var lasts = definition.For;
        var fault = FaultFactory.Create([definition with { For = null }],
            new FaultContext(lab, hooks, new RunOptions { Impact = lasts ?? Limits.MaxPhase }, time))[0].Fault;
        try
        {
            await OpenLeaseAsync(cancellationToken);
        }
        catch (HttpRequestException exception)
        {
            throw new ActivityFailedException($"the lab's control API did not grant a fault lease: {exception.Message}", exception);
        }

        lock (_gate)
        {
            _live.Add(fault); // before injecting: a partial inject is rolled back too
        }

        try
        {
            await fault.InjectAsync(cancellationToken);
            Record("inject", fault, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or IOException or TimeoutException)
        {
            Record("inject", fault, exception.Message);
            throw new ActivityFailedException($"the lab could not inject {fault.Name} on {fault.Target}: {exception.Message}", exception);
        }

        if (lasts is { } duration)
        {
            _ = UndoLaterAsync(fault, duration);
        }

        var output = new JsonObject { ["fault"] = fault.Name, ["target"] = fault.Target, ["injected"] = true };
        if (lasts is { } span)
        {
            output["duration"] = span.TotalSeconds;
        }

        foreach (var (name, value) in fault.Observations)
        {
            output[name] = value;
        }

        return output;
    }

    /// <summary>One lease for the run, opened with its first fault (background lab actions may race to it), and the guardrail with it.</summary>
    private async Task OpenLeaseAsync(CancellationToken cancellationToken)
    {
        await _opening.WaitAsync(cancellationToken);
        try
        {
            if (_lease is null)
            {
                _lease = await lab.OpenLeaseAsync($"chaos run {runId}", ExperimentRunner.LeaseTimeToLive, cancellationToken);
                _lease.Lost.Register(() => Stop("the fault lease expired (this worker stalled), so the lab undid the faults"));
                _monitor = new GuardrailMonitor([], watched, lab, time);
                _monitor.Tripped.Register(() => Stop($"guardrail {_monitor.Trip?.Reason}"));
                _guarding = _monitor.WatchAsync(_ended.Token);
            }
        }
        finally
        {
            _opening.Release();
        }
    }

    /// <summary>Undoes everything still injected, newest first: at the end of every run, however it ended.</summary>
    public async Task<IReadOnlyList<string>> RollBackAllAsync(CancellationToken cancellationToken)
    {
        await _ended.CancelAsync();
        await _guarding;
        _monitor?.Dispose();
        var undone = await RollBackAsync(_ => true, cancellationToken);
        if (_lease is not null)
        {
            await _lease.DisposeAsync();
            _lease = null;
        }

        return undone;
    }

    /// <summary>A lab provider's fault (its values substituted), read as the file's validation read it.</summary>
    public static FaultDefinition Read(JsonObject provider, string file, string where)
    {
        var problems = new List<VokeTag.Experiments.DefinitionProblem>();
        return ToolkitLabProvider.Read(provider, file, $"{where}.provider", problems) is { } fault && problems.Count == 0
            ? fault
            : throw new ActivityFailedException(string.Join(" ", problems.Select(problem => problem.Path.Length > 0 ? $"{problem.Path}: {problem.Message}" : problem.Message)));
    }

    private async Task<IReadOnlyList<string>> RollBackAsync(Func<IFault, bool> which, CancellationToken cancellationToken)
    {
        List<IFault> chosen;
        lock (_gate)
        {
            chosen = [.. _live.Where(which).Reverse()];
            _live.RemoveAll(chosen.Contains);
        }

        foreach (var fault in chosen)
        {
            try
            {
                await fault.RollbackAsync(cancellationToken);
                Record("rollback", fault, null);
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or IOException or TimeoutException or OperationCanceledException)
            {
                // The lease is still held: releasing it below makes the AppHost undo what this could not.
                Record("rollback", fault, exception.Message);
            }
        }

        return [.. chosen.Select(fault => $"{fault.Name} ({fault.Target})")];
    }

    private void Stop(string reason)
    {
        StopReason ??= reason;
        _stopped.Cancel();
    }

    private async Task UndoLaterAsync(IFault fault, TimeSpan after)
    {
        try
        {
            await Task.Delay(after, time, _ended.Token);
            await RollBackAsync(live => ReferenceEquals(live, fault), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // The run ended first; it rolls back whatever is still injected.
        }
    }

    private void Record(string action, IFault fault, string? error)
    {
        lock (_gate)
        {
            _actions.Add(new FaultRecord(action, fault.Name, fault.Target, time.GetUtcNow(), error));
        }
    }
}
