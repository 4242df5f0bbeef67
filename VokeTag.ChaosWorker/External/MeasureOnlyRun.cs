using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.External;

/// <summary>
/// Measure-only mode's run: at start, the experiments <c>Chaos:Run</c> names, one after another as the lab runs them
/// (same load, phases, criteria and reports), while the engine injects; then the worker exits 0 when every hypothesis
/// held, 1 when one did not or a run could not complete, 2 when the request was refused — the lab's headless codes.
/// </summary>
public sealed class MeasureOnlyRun(
    MeasureOnlySettings settings, ExperimentCatalog catalog, RunCoordinator coordinator, IHostApplicationLifetime lifetime, ILogger<MeasureOnlyRun> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Environment.ExitCode = await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Environment.ExitCode = 1;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        double? Phase(string key) => settings.Phases?.TryGetValue(key, out var seconds) == true ? seconds : null;
        var request = new RunRequest(settings.Run, Phase("BaselineSeconds"), Phase("ImpactSeconds"), Phase("RecoverySeconds"), SustainSeconds: Phase("SustainSeconds"));
        var (runs, problems) = request.Resolve(catalog);
        if (problems.Count > 0)
        {
            logger.LogError("Measure-only run refused: {Problems}", string.Join(" ", problems));
            return 2;
        }

        logger.LogInformation("Measure-only: {Experiments} against {Target}; {Engine} injects the faults",
            string.Join(", ", settings.Run), settings.Target, settings.Engine);
        var runIds = coordinator.TryStart(runs) ?? throw new InvalidOperationException("a run is already in progress");
        var failed = new List<string>();
        foreach (var runId in runIds)
        {
            RunView? view;
            while ((view = coordinator.Find(runId)) is not { Status: not ("queued" or "running" or "stopping") })
            {
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }

            logger.LogInformation("Measure-only: {Experiment} {Status}; reports in {Folder}", view.Experiment, view.Status, view.ReportsFolder);
            if (view.Status != "passed")
            {
                failed.Add($"{view.Experiment} ({view.Status})");
            }
        }

        logger.LogInformation("Measure-only: {Held} of {Count} experiments held{Failed}",
            runIds.Count - failed.Count, runIds.Count, failed.Count == 0 ? "" : $". Failed: {string.Join("; ", failed)}");
        return failed.Count == 0 ? 0 : 1;
    }
}
