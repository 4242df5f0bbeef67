using Xunit.Abstractions;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// A game day from the command line, as a user starts it: <c>dotnet run --project VokeTag.AppHost -- Chaos:GameDay=…</c>
/// starts the lab, the game day, prints the timeline and the score, writes gameday.html and exits 0 when it ended.
/// </summary>
[Collection(LabCollection.Name)]
public sealed class HeadlessGameDayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_hidden_round_nobody_plays_ends_undetected_names_no_scenario_before_the_reveal_and_writes_gameday_html()
    {
        var runs = Directory.CreateTempSubdirectory("voketag-gameday-cli-");
        try
        {
            var (exitCode, text) = await AppHostCli.RunAsync(
            [
                "Chaos:GameDay=redis-failure", "Chaos:Rounds=1", "Chaos:RoundLimitSeconds=30", "Chaos:BaselineSeconds=3",
                "Chaos:RecoverySeconds=20", "Chaos:SustainSeconds=2", "Chaos:Seed=1", $"Chaos:RunsDirectory={runs.FullName}",
            ], output);

            Assert.True(exitCode == 0, text);
            Assert.Contains("chaos: how to play:", text);
            Assert.Contains("/gamedays/current/declare", text);
            Assert.Contains("chaos: round 1 is live", text);
            Assert.Contains("not detected within the round's limit (30 s)", text);
            var reveal = text.IndexOf("reveal: round 1 was redis-failure", StringComparison.Ordinal);
            Assert.True(reveal > 0, text);
            Assert.DoesNotContain("redis-failure", text[..reveal], StringComparison.Ordinal);
            Assert.Contains(" ended: 0 points over 1 round(s)", text);

            var gameDay = Assert.Single(Directory.GetDirectories(Path.Combine(runs.FullName, "gamedays")));
            var report = Path.Combine(gameDay, "gameday.html");
            Assert.True(File.Exists(report), text);
            Assert.Contains($"chaos: game day report: {report}", text);
        }
        finally
        {
            runs.Delete(recursive: true);
        }
    }
}
