using System.Collections.Concurrent;
using VokeTag.ChaosWorker.Reports;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// One batch of runs at a time, in the background — or one game day, which holds the same slot. Keeps every run's
/// latest record, writes the reports, and on emergency stop or shutdown cancels the current run or game day, whose
/// runner then rolls its faults back.
/// </summary>
public sealed class RunCoordinator(ExperimentRunner runner, RunReporter reporter, TimeProvider time, ILogger<RunCoordinator> logger)
    : IHostedService
{
    private readonly ConcurrentDictionary<string, RunView> _runs = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;
    private Task _batch = Task.CompletedTask;

    public RunView? Find(string runId) => _runs.GetValueOrDefault(runId);

    /// <summary>Sets what <c>GET /runs/{id}</c> answers for a run someone else started (a game day's round).</summary>
    public void Publish(RunView view) => _runs[view.RunId] = view;

    /// <summary>Runs <paramref name="work"/> in the run slot (a game day); false when a batch or other work holds it.</summary>
    public bool TryStartExclusive(Func<CancellationToken, Task> work)
    {
        lock (_gate)
        {
            if (!_batch.IsCompleted)
            {
                return false;
            }

            _current = new CancellationTokenSource();
            var cancellation = _current.Token;
            _batch = Task.Run(() => work(cancellation), CancellationToken.None);
            return true;
        }
    }

    /// <returns>The run ids, in order; null when a batch is already running.</returns>
    public IReadOnlyList<string>? TryStart(IReadOnlyList<PlannedRun> runs)
    {
        lock (_gate)
        {
            if (!_batch.IsCompleted)
            {
                return null;
            }

            var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", System.Globalization.CultureInfo.InvariantCulture);
            var trigger = System.Diagnostics.Activity.Current?.Context ?? default;
            var planned = runs.Select(run => (Run: run with { Options = run.Options with { Trigger = trigger } }, RunId: $"{stamp}-{run.Experiment.Name}-{Guid.NewGuid().ToString("N")[..6]}")).ToList();
            foreach (var (run, runId) in planned)
            {
                _runs[runId] = new RunView(runId, run.Experiment.Name, "queued", null, null);
            }

            _current = new CancellationTokenSource();
            var cancellation = _current.Token;
            _batch = Task.Run(() => RunBatchAsync(planned, cancellation), CancellationToken.None);
            return [.. planned.Select(item => item.RunId)];
        }
    }

    /// <summary>
    /// Emergency stop: cancels the current batch and waits for its rollback. Until the rollback ends the run reads
    /// <c>stopping</c>, so nobody mistakes it for a run still injecting faults.
    /// </summary>
    public async Task<bool> StopAsync()
    {
        Task batch;
        lock (_gate)
        {
            if (_batch.IsCompleted)
            {
                return false;
            }

            foreach (var view in _runs.Values.Where(view => view.Status == "running"))
            {
                // Only while it still reads running: the batch may be writing the run's final status right now.
                _runs.TryUpdate(view.RunId, view with { Status = "stopping" }, view);
            }

            _current?.Cancel();
            batch = _batch;
        }

        try
        {
            await batch;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The batch already rolled back what it injected; its failure is the batch's to report, not the stop's.
            logger.LogError("The stopped batch ended with an error: {Error}", exception.Message);
        }

        return true;
    }

    Task IHostedService.StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedService.StopAsync(CancellationToken cancellationToken) => StopAsync();

    private async Task RunBatchAsync(List<(PlannedRun Run, string RunId)> planned, CancellationToken cancellation)
    {
        foreach (var ((experiment, options), runId) in planned)
        {
            if (cancellation.IsCancellationRequested)
            {
                _runs[runId] = _runs[runId] with { Status = "interrupted" };
                continue;
            }

            _runs[runId] = _runs[runId] with { Status = "running" };
            try
            {
                var run = await runner.RunAsync(experiment, options, runId, cancellation);
                var folder = await reporter.WriteAsync(run, CancellationToken.None);
                _runs[runId] = new RunView(runId, experiment.Name, run.Status.ToString().ToLowerInvariant(), folder, run);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                logger.LogError("Run {RunId} finished but its reports could not be written: {Error}", runId, exception.Message);
                _runs[runId] = _runs[runId] with { Status = "error" };
            }
        }
    }
}

/// <summary>What <c>GET /runs/{id}</c> answers: status, where the reports are, and the record once finished.</summary>
public sealed record RunView(string RunId, string Experiment, string Status, string? ReportsFolder, ExperimentRun? Run);
