using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// The game day API (behind the worker's secret like every control call): options for the prompts, start, state,
/// the blue team's declare, diagnose and mitigate, observers' notes, and stop.
/// </summary>
public static class GameDayEndpoints
{
    public static void MapGameDayEndpoints(this WebApplication app)
    {
        var gameDays = app.MapGroup("/gamedays");

        gameDays.MapGet("/options", (ExperimentCatalog catalog) => Results.Ok(new
        {
            Scenarios = catalog.All.OfType<Definitions.FileExperiment>().Select(experiment => experiment.Name).Order(),
            DiagnosisVocabulary.Resources,
            DiagnosisVocabulary.Kinds,
            DiagnosisVocabulary.Mitigations,
            RoundLimitSeconds = new { Default = GameDayRequest.DefaultRoundLimit.TotalSeconds, Min = GameDayRequest.MinRoundLimit.TotalSeconds, Max = GameDayRequest.MaxRoundLimit.TotalSeconds },
            MaxRounds = GameDayRequest.MaxRounds,
        }));

        gameDays.MapPost("/", (GameDayRequest request, ExperimentCatalog catalog, GameDayCoordinator coordinator) =>
        {
            var (plan, problems) = request.Resolve(catalog);
            if (plan is null)
            {
                return Results.Problem(statusCode: 400, title: "Invalid game day", detail: string.Join(" ", problems));
            }

            return coordinator.TryStart(plan) is { } gameDay
                ? Results.Accepted($"/gamedays/{gameDay.Id}", new { GameDayId = gameDay.Id, Status = $"/gamedays/{gameDay.Id}" })
                : Results.Problem(statusCode: 409, title: "A run or a game day is in progress", detail: "Wait for it, or stop it with POST /runs/stop.");
        });

        gameDays.MapGet("/current", (GameDayCoordinator coordinator) =>
            coordinator.Latest is { } gameDay ? Results.Ok(GameDayView.Of(gameDay, asWritten: false)) : NoGameDay("No game day has been played since the worker started."));

        gameDays.MapGet("/{id}", (string id, GameDayCoordinator coordinator) =>
            coordinator.Find(id) is { } gameDay ? Results.Ok(GameDayView.Of(gameDay, asWritten: false)) : NoGameDay($"No game day '{id}'."));

        gameDays.MapPost("/current/declare", (GameDayActions.Declare body, GameDayCoordinator coordinator) =>
            Act(coordinator, GameDayActions.Problems(body), gameDay => gameDay.Declare(GameDayActions.Who(body.By, "blue"), body.Text ?? "incident declared")));

        gameDays.MapPost("/current/diagnose", (GameDayActions.Diagnose body, GameDayCoordinator coordinator) =>
            Act(coordinator, GameDayActions.Problems(body), gameDay => gameDay.Diagnose(GameDayActions.Who(body.By, "blue"), body.Resource!, body.Kind!)));

        gameDays.MapPost("/current/notes", (GameDayActions.Note body, GameDayCoordinator coordinator) =>
            Act(coordinator, GameDayActions.Problems(body), gameDay => gameDay.Note(GameDayActions.Who(body.By, "observer"), body.Text!)));

        gameDays.MapPost("/current/mitigate", async (GameDayActions.Mitigate body, GameDayCoordinator coordinator, CancellationToken cancellationToken) =>
            Refusal(coordinator, GameDayActions.Problems(body), out var gameDay)
                ?? Results.Ok(await coordinator.MitigateAsync(gameDay!, GameDayActions.Who(body.By, "blue"), body.Action!, body.Resource, cancellationToken)));

        gameDays.MapPost("/current/stop", async (GameDayCoordinator coordinator) =>
            coordinator.Playing is { } gameDay && await coordinator.StopAsync()
                ? Results.Ok(new { Stopped = true, GameDayId = gameDay.Id, Report = gameDay.Report })
                : NotPlaying());
    }

    private static IResult Act(GameDayCoordinator coordinator, IEnumerable<string> problems, Func<GameDay, ActionAnswer> act) =>
        Refusal(coordinator, problems, out var gameDay) ?? Results.Ok(act(gameDay!));

    /// <summary>400 naming the fields, or 409 when no game day is being played; null, with the game day, when the action may go ahead.</summary>
    private static IResult? Refusal(GameDayCoordinator coordinator, IEnumerable<string> problems, out GameDay? gameDay)
    {
        gameDay = coordinator.Playing; // read once: it may end meanwhile, and an action on it is then only recorded
        var listed = problems.ToList();
        if (listed.Count > 0)
        {
            return Results.Problem(statusCode: 400, title: "Invalid game day action", detail: string.Join(" ", listed));
        }

        return gameDay is null ? NotPlaying() : null;
    }

    private static IResult NotPlaying() =>
        Results.Problem(statusCode: 409, title: "No game day is being played", detail: "Start one with POST /gamedays.");

    private static IResult NoGameDay(string detail) => Results.Problem(statusCode: 404, title: "Unknown game day", detail: detail);
}
