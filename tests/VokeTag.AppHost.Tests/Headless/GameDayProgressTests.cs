using System.Text.Json;
using VokeTag.AppHost.Headless;

namespace VokeTag.AppHost.Tests.Headless;

public class GameDayProgressTests
{
    private static readonly string Started = Entry(0, "gameday-started", null, "game day started: 1 round(s), scenario hidden, round limit 30 s");
    private static readonly string RoundStarted = Entry(0.2, "round-started", "gd-1-r1", "round 1 started: traffic on, the lab settles", secret: "scenario redis-failure");
    private static readonly string Injected = Entry(5, "fault-injected", "gd-1-r1", "fault injected", secret: "stop cache");
    private static readonly string Declared = Entry(9, "declare", "gd-1-r1", "verify is slow", by: "blue", check: "Incident declared; detection time counts from the injection.");

    [Fact]
    public void Each_entry_prints_once_with_its_round_and_a_hidden_game_days_secrets_stay_unprinted()
    {
        var progress = new GameDayProgress();

        var first = progress.Update(View(hidden: true, [Started, RoundStarted], Round("settling")));
        var second = progress.Update(View(hidden: true, [Started, RoundStarted, Injected, Declared], Round("live")));

        Assert.Equal(["+0.0 s  game day started: 1 round(s), scenario hidden, round limit 30 s",
            "+0.2 s  round 1 · round 1 started: traffic on, the lab settles",
            "round 1 is settling: traffic on, the lab settles."], first);
        Assert.Equal(["+5.0 s  round 1 · fault injected",
            "+9.0 s  round 1 · declare by blue: verify is slow → Incident declared; detection time counts from the injection.",
            "round 1 is live: a fault is in. Declare, diagnose and mitigate."], second);
        Assert.DoesNotContain(first.Concat(second), line => line.Contains("redis-failure") || line.Contains("stop cache"));
    }

    [Fact]
    public void A_shown_game_day_prints_the_fault_with_its_entry()
    {
        var lines = new GameDayProgress().Update(View(hidden: false, [Injected], Round("live", scenario: "redis-failure")));

        Assert.Contains("+5.0 s  round 1 · fault injected (stop cache)", lines);
    }

    [Fact]
    public void A_rollback_inserted_before_printed_entries_is_printed_once_and_the_score_after_the_reveal()
    {
        var progress = new GameDayProgress();
        progress.Update(View(hidden: true, [Started, RoundStarted, Injected], Round("live")));
        var rolledBack = Entry(35, "fault-rolled-back", "gd-1-r1", "fault rolled back", secret: "stop cache");
        var ended = Entry(60, "round-ended", "gd-1-r1", "round 1 ended: passed");
        var reveal = Entry(60, "reveal", null, "reveal: round 1 was redis-failure (stop cache)");
        var score = """
            {"points": 0, "detectSeconds": null, "diagnoseSeconds": null, "mitigation": null, "errorsSeen": 12,
             "findings": ["not detected within the round's limit (30 s)", "not diagnosed correctly"]}
            """;

        var lines = progress.Update(View(hidden: true, [Started, RoundStarted, Injected, rolledBack, ended, reveal], Round("ended", "redis-failure", score)));

        Assert.Equal(["+35.0 s  round 1 · fault rolled back", "+60.0 s  round 1 · round 1 ended: passed",
            "+60.0 s  reveal: round 1 was redis-failure (stop cache)", "round 1 ended.",
            "round 1 (redis-failure) scored 0 points: detected no, diagnosed no, mitigation none, errors users saw 12; " +
            "not detected within the round's limit (30 s); not diagnosed correctly."], lines);
        Assert.Empty(progress.Update(View(hidden: true, [Started, RoundStarted, Injected, rolledBack, ended, reveal], Round("ended", "redis-failure", score))));
    }

    [Fact]
    public void The_totals_name_the_points_the_counts_and_the_teams()
    {
        var view = JsonDocument.Parse("""
            {"id": "gd-1", "status": "ended", "totals": {"points": 85, "roundsEnded": 2, "detected": 2, "diagnosed": 1, "mitigated": 1,
             "wrongDiagnoses": 1, "wrongMitigations": 0, "falseAlarms": 0, "errorsSeen": 40, "pointsByTeam": {"blue": 85}, "pointsRule": "Points: …"}}
            """).RootElement;

        var lines = GameDayProgress.Totals(view);

        Assert.Equal("game day gd-1 ended: 85 points over 2 round(s); detected 2, diagnosed 1, mitigated 1; wrong diagnoses 1, " +
            "wrong mitigations 0, false alarms 0; errors users saw 40.", lines[0]);
        Assert.Equal("points by team: blue 85.", lines[1]);
    }

    [Fact]
    public void How_to_play_names_the_commands_and_the_curl_calls_without_a_hint()
    {
        var lines = GameDayHowToPlay.Lines("http://localhost:15080", "http://localhost:5123/", "s3cret",
            new GameDayVocabulary(["cache", "db"], ["stopped", "slow-network"]));
        var text = string.Join('\n', lines);

        Assert.Contains("dashboard: http://localhost:15080", text);
        Assert.Contains("Declare incident", text);
        Assert.Contains("Diagnose", text);
        Assert.Contains("Mitigate", text);
        Assert.Contains("Note", text);
        Assert.Contains("export VOKETAG_LAB_SECRET=s3cret", text);
        Assert.Contains("curl -X POST http://localhost:5123/gamedays/current/declare -H \"X-Lab-Secret: $VOKETAG_LAB_SECRET\"", text);
        Assert.Contains("<resource>: cache, db; <kind>: stopped, slow-network.", text);
    }

    private static string Entry(double seconds, string kind, string? roundId, string text, string? by = null, string? check = null, string? secret = null) =>
        JsonSerializer.Serialize(new { at = DateTimeOffset.UnixEpoch.AddSeconds(seconds), seconds, roundId, kind, by, text, correct = (bool?)null, check, secret });

    private static string Round(string status, string? scenario = null, string score = "null") =>
        $$"""{"roundId": "gd-1-r1", "number": 1, "status": "{{status}}", "scenario": {{JsonSerializer.Serialize(scenario)}}, "score": {{score}}}""";

    private static JsonElement View(bool hidden, IEnumerable<string> timeline, params string[] rounds) =>
        JsonDocument.Parse($$"""{"id": "gd-1", "status": "running", "hidden": {{(hidden ? "true" : "false")}}, "rounds": [{{string.Join(",", rounds)}}], "timeline": [{{string.Join(",", timeline)}}]}""").RootElement;
}
