using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Reports;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// Plays game days, one at a time and never beside a run: a game day holds <see cref="RunCoordinator"/>'s run slot, so
/// <c>POST /runs</c> answers 409 meanwhile and <c>POST /runs/stop</c> stops it (with rollback). Each round is an
/// ordinary run of <see cref="ExperimentRunner"/> in round mode; at the end the scenarios are revealed and
/// <c>runs/gamedays/{id}/gameday.html</c> and <c>gameday.json</c> written, with the hidden rounds' run reports.
/// </summary>
public sealed class GameDayCoordinator(
    RunCoordinator runs,
    ExperimentRunner runner,
    RunReporter reporter,
    LabControlClient lab,
    TimeProvider time,
    ILogger<GameDayCoordinator> logger)
{
    /// <summary>How long guardrails let a resource be down after the team restarted it wrongly.</summary>
    public static readonly TimeSpan WrongRestartExemption = TimeSpan.FromSeconds(60);

    private readonly ConcurrentDictionary<string, GameDay> _gameDays = new();
    private volatile GameDay? _latest;

    /// <summary>The game day being played, if any.</summary>
    public GameDay? Playing => _latest is { Status: "running" } playing ? playing : null;

    /// <summary>The game day being played, or else the last one.</summary>
    public GameDay? Latest => _latest;

    public GameDay? Find(string id) => _gameDays.GetValueOrDefault(id);

    public string Folder(string gameDayId) => Path.Combine(reporter.RunsDirectory, "gamedays", gameDayId);

    /// <returns>The game day, started; null when a run or another game day holds the slot.</returns>
    public GameDay? TryStart(GameDayPlan plan)
    {
        var gameDay = new GameDay($"gd-{Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant()}", plan, time);
        var started = new TaskCompletionSource();
        var trigger = System.Diagnostics.Activity.Current?.Context ?? default; // each round's trace links to POST /gamedays
        // The play waits until the game day is registered, so GET /gamedays/current finds it from the first moment.
        if (!runs.TryStartExclusive(async cancellation => { await started.Task; await PlayAsync(gameDay, trigger, cancellation); }))
        {
            return null;
        }

        _gameDays[gameDay.Id] = gameDay;
        _latest = gameDay;
        started.SetResult();
        return gameDay;
    }

    /// <summary>Stops the game day being played; the round's runner rolls its faults back before this returns.</summary>
    public Task<bool> StopAsync() => Playing is null ? Task.FromResult(false) : runs.StopAsync();

    /// <summary>Checks a mitigation; a wrong restart or start is done for real, with the resource exempt from guardrails meanwhile.</summary>
    public async Task<ActionAnswer> MitigateAsync(GameDay gameDay, string by, string action, string? resource, CancellationToken cancellationToken)
    {
        var decision = gameDay.Mitigate(by, action, resource);
        if (decision.WrongRestartOf is not { } round || resource is null)
        {
            return decision.Answer;
        }

        try
        {
            if (action == DiagnosisVocabulary.Start && (await lab.GetStateAsync(resource, cancellationToken)).Instances.All(instance => instance.IsRunning))
            {
                return decision.Answer with { Message = $"Wrong: {resource} is not at fault, and it was already running: nothing to start; the fault stays." };
            }

            round.Control.Exemptions.Grant(resource, WrongRestartExemption); // only for what the team really takes down
            await lab.RunCommandAsync(resource, action, cancellationToken);
            return decision.Answer with { Message = $"Wrong: {resource} is not at fault; the lab did the {action} anyway (guardrails give it {WrongRestartExemption.TotalSeconds:0} s) and the fault stays." };
        }
        catch (Exception exception) when (exception is InvalidOperationException or HttpRequestException or TimeoutException
            or OperationCanceledException or JsonException)
        {
            return decision.Answer with { Message = $"Wrong: {resource} is not at fault, and lab control could not {action} it ({exception.Message}); the fault stays." };
        }
    }

    private async Task PlayAsync(GameDay gameDay, System.Diagnostics.ActivityContext trigger, CancellationToken cancellation)
    {
        logger.LogInformation("Game day {GameDayId}: {Rounds} round(s), scenario {Visibility}, round limit {Limit:0} s",
            gameDay.Id, gameDay.Plan.Rounds.Count, gameDay.Hidden ? "hidden" : "shown", gameDay.Plan.RoundLimit.TotalSeconds);
        gameDay.Started();
        try
        {
            foreach (var (planned, index) in gameDay.Plan.Rounds.Select((planned, index) => (planned, index)))
            {
                if (cancellation.IsCancellationRequested)
                {
                    break;
                }

                var run = await PlayRoundAsync(gameDay, index + 1, planned, trigger, cancellation);
                if (run.Status == RunStatus.Interrupted)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // The runner rolled back whatever it had injected; the game day ends here, and says so.
            logger.LogError("Game day {GameDayId} could not go on: {Error}", gameDay.Id, gameDay.Hidden ? "(hidden until the reveal)" : exception.Message);
        }
        finally
        {
            gameDay.Finish(stopped: cancellation.IsCancellationRequested);
            try
            {
                await RevealAsync(gameDay);
            }
            finally
            {
                gameDay.Written = true; // written or not (the log says which): never "revealing" for ever
            }
        }
    }

    private async Task<ExperimentRun> PlayRoundAsync(
        GameDay gameDay, int number, PlannedRound planned, System.Diagnostics.ActivityContext trigger, CancellationToken cancellation)
    {
        var roundId = $"{gameDay.Id}-r{number}";
        var control = new RoundControl(roundId, gameDay.Hidden, time, _ => gameDay.FaultInjected(roundId));
        var round = gameDay.StartRound(number, roundId, planned, control);
        runs.Publish(new RunView(roundId, gameDay.Hidden ? roundId : planned.Scenario.Name, "running", null, null));
        logger.LogInformation("Game day {GameDayId}: round {RoundId} starting", gameDay.Id, roundId);

        var run = await runner.RunAsync(round.Scenario, round.Options with { Trigger = trigger }, roundId, cancellation);
        gameDay.EndRound(round, run);
        logger.LogInformation("Game day {GameDayId}: round {RoundId} ended ({Status}, {Points} points)", gameDay.Id, roundId,
            run.Status.ToString().ToLowerInvariant(), round.Score?.Points);
        if (gameDay.Hidden)
        {
            runs.Publish(new RunView(roundId, roundId, run.Status.ToString().ToLowerInvariant(), null, null)); // the record waits for the reveal
        }
        else
        {
            await WriteRunReportsAsync(round);
        }

        return run;
    }

    /// <summary>The end: the hidden rounds' run reports, then gameday.json and gameday.html.</summary>
    private async Task RevealAsync(GameDay gameDay)
    {
        foreach (var round in gameDay.Rounds.Where(round => round.Run is not null && round.ReportsFolder is null))
        {
            await WriteRunReportsAsync(round);
        }

        try
        {
            var folder = Folder(gameDay.Id);
            Directory.CreateDirectory(folder);
            var report = Path.Combine(folder, "gameday.html");
            gameDay.Report = report;
            var view = GameDayView.Of(gameDay);
            await File.WriteAllTextAsync(Path.Combine(folder, "gameday.json"), JsonSerializer.Serialize(view, JsonOptions), CancellationToken.None);
            await File.WriteAllTextAsync(report, GameDayPage.Render(gameDay), CancellationToken.None);
            logger.LogInformation("Game day {GameDayId} {Status}: {Points} points; report {Report}", gameDay.Id, gameDay.Status, view.Totals.Points, report);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            gameDay.Report = null;
            logger.LogError("Game day {GameDayId} ended but its report could not be written: {Error}", gameDay.Id, exception.Message);
        }
    }

    private async Task WriteRunReportsAsync(GameDayRound round)
    {
        try
        {
            round.ReportsFolder = await reporter.WriteAsync(round.Run!, CancellationToken.None);
            runs.Publish(new RunView(round.Id, round.Scenario.Name, round.Run!.Status.ToString().ToLowerInvariant(), round.ReportsFolder, round.Run));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            logger.LogError("Round {RoundId} ended but its reports could not be written: {Error}", round.Id, exception.Message);
        }
    }

    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}
