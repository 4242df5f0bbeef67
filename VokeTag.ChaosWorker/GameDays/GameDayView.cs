namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// What <c>GET /gamedays/{id}</c> answers and <c>gameday.json</c> holds. Until the reveal a hidden game day shows no
/// scenario anywhere: not the pool, not the rounds' scenarios, not the timeline's secrets.
/// </summary>
public sealed record GameDayView(
    string Id,
    string Status,
    bool Hidden,
    bool Revealed,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    double RoundLimitSeconds,
    IReadOnlyList<string>? Pool,
    IReadOnlyList<RoundView> Rounds,
    IReadOnlyList<TimelineEntry> Timeline,
    GameDayTotals Totals,
    string? Report)
{
    /// <param name="asWritten">The page and gameday.json show the end as it is; the API says <c>revealing</c> until they are written.</param>
    public static GameDayView Of(GameDay gameDay, bool asWritten = true)
    {
        var revealed = gameDay.Revealed;
        var rounds = gameDay.Rounds;
        var status = gameDay.Status != "running" && !asWritten && !gameDay.Written ? "revealing" : gameDay.Status;
        return new GameDayView(gameDay.Id, status, gameDay.Hidden, revealed, gameDay.StartedAt, gameDay.EndedAt,
            gameDay.Plan.RoundLimit.TotalSeconds,
            revealed ? gameDay.Plan.Pool : null,
            [.. rounds.Select(round => RoundView.Of(round, revealed))],
            [.. gameDay.Timeline.Select(entry => revealed ? entry : entry.Masked())],
            GameDayTotals.Of(rounds, gameDay.PointsByTeam()),
            gameDay.Report);
    }
}

/// <summary>A round as shown: its scenario, title and faults only once revealed.</summary>
public sealed record RoundView(
    string RoundId,
    int Number,
    string Status,
    string? Scenario,
    string? Title,
    IReadOnlyList<string>? Faults,
    DateTimeOffset StartedAt,
    DateTimeOffset? InjectedAt,
    DateTimeOffset? EndedAt,
    string? RunStatus,
    RoundScore? Score,
    string? ReportsFolder)
{
    public static RoundView Of(GameDayRound round, bool revealed) => new(
        round.Id,
        round.Number,
        round.Status,
        revealed ? round.Scenario.Name : null,
        revealed ? round.Scenario.Title : null,
        revealed ? [.. round.Faults.Select(fault => fault.ToString())] : null,
        round.StartedAt,
        round.Control.InjectedAt,
        round.EndedAt,
        round.Run?.Status.ToString().ToLowerInvariant(),
        round.Score,
        revealed ? round.ReportsFolder : null);
}

/// <summary>The whole game day's sums over its ended rounds, and the points of each team (by the <c>by</c> of its actions).</summary>
public sealed record GameDayTotals(
    int Points,
    int RoundsEnded,
    int Detected,
    int Diagnosed,
    int Mitigated,
    int WrongDiagnoses,
    int WrongMitigations,
    int FalseAlarms,
    int ErrorsSeen,
    IReadOnlyDictionary<string, int> PointsByTeam,
    string PointsRule)
{
    public static GameDayTotals Of(IReadOnlyList<GameDayRound> rounds, IReadOnlyDictionary<string, int> byTeam)
    {
        var scores = rounds.Select(round => round.Score).OfType<RoundScore>().ToList();
        return new GameDayTotals(
            scores.Sum(score => score.Points),
            scores.Count,
            scores.Count(score => score.DetectSeconds is not null),
            scores.Count(score => score.DiagnoseSeconds is not null),
            scores.Count(score => score.Mitigation is { Correct: true }),
            scores.Sum(score => score.WrongDiagnoses),
            scores.Sum(score => score.WrongMitigations),
            scores.Sum(score => score.FalseAlarms.Count),
            scores.Sum(score => score.ErrorsSeen),
            byTeam,
            RoundScore.PointsRule);
    }
}
