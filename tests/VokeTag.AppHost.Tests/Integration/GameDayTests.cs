using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using static VokeTag.AppHost.Tests.Integration.GameDayApi;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// A whole hidden game day through the worker's API, as the dashboard's prompts call it: two rounds of
/// <c>redis-failure</c>, the blue team's calls checked and scored, the scenario named nowhere until the reveal.
/// </summary>
public sealed partial class ExperimentTests
{
    private const string GameDayScenario = "redis-failure";

    [Fact]
    public async Task A_hidden_two_round_game_day_scores_the_blue_team_names_no_scenario_until_the_reveal_and_writes_gameday_html()
    {
        using var worker = Worker();
        using var control = await LabControlAsync();
        var logsBefore = (await ChaosLogAsync()).Count;

        using var started = await worker.PostAsJsonAsync("/gamedays", new
        {
            scenarios = new[] { GameDayScenario },
            rounds = 2,
            hidden = true,
            roundLimitSeconds = 60,
            seed = 7,
            baselineSeconds = 3,
            recoverySeconds = 40, // the scenario's own limit: the round's recovery ends as soon as it is steady
            sustainSeconds = 2,
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var gameDayId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("gameDayId").GetString()!;
        var round1 = $"{gameDayId}-r1";
        var round2 = $"{gameDayId}-r2";

        // One slot: no run beside a game day.
        using (var run = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { "redis-failure" } }))
        {
            Assert.Equal(HttpStatusCode.Conflict, run.StatusCode);
        }

        // Round 1: a wrong diagnosis, the right one, a harmless wrong mitigation (wait), then the right one.
        await UntilRoundAsync(worker, 0, "live");
        await AssertNoScenarioAnywhereAsync(worker, control, round1);
        Assert.True((await ActAsync(worker, "declare", new { by = "blue", text = "verify latency is up" })).GetProperty("correct").GetBoolean());
        Assert.False((await ActAsync(worker, "diagnose", new { by = "blue", resource = "db", kind = "slow-network" })).GetProperty("correct").GetBoolean());
        Assert.True((await ActAsync(worker, "diagnose", new { by = "blue", resource = "cache", kind = "stopped" })).GetProperty("correct").GetBoolean());
        await ActAsync(worker, "notes", new { by = "observer", text = "blue found the cache <script>alert(1)</script>" });
        Assert.False((await ActAsync(worker, "mitigate", new { by = "blue", action = "wait" })).GetProperty("correct").GetBoolean());
        var mitigated = await ActAsync(worker, "mitigate", new { by = "blue", action = "restart", resource = "cache" });
        Output.WriteLine(mitigated.GetProperty("message").GetString());
        Assert.True(mitigated.GetProperty("correct").GetBoolean());
        await UntilRoundAsync(worker, 0, "ended");

        // Round 2, still hidden: round 1's whole run is in the worker's log by now, and names itself only.
        await UntilRoundAsync(worker, 1, "live");
        await AssertNoScenarioAnywhereAsync(worker, control, round2);
        var logged = (await ChaosLogAsync()).Skip(logsBefore).ToList();
        Assert.Contains(logged, line => line.Contains(round1, StringComparison.Ordinal));
        Assert.DoesNotContain(logged, line => line.Contains(GameDayScenario, StringComparison.OrdinalIgnoreCase));
        await ActAsync(worker, "declare", new { by = "blue", text = "same again?" });
        await ActAsync(worker, "mitigate", new { by = "blue", action = "start", resource = "cache" });

        var ended = await UntilGameDayAsync(worker, view => view.GetProperty("status").GetString() == "ended");
        Output.WriteLine(ended.ToString());
        var first = ended.GetProperty("rounds")[0];
        Assert.Equal(GameDayScenario, first.GetProperty("scenario").GetString());
        var score = first.GetProperty("score");
        Assert.True(score.GetProperty("detectSeconds").GetDouble() > 0);
        Assert.True(score.GetProperty("diagnoseSeconds").GetDouble() >= score.GetProperty("detectSeconds").GetDouble());
        Assert.Equal(1, score.GetProperty("wrongDiagnoses").GetInt32());
        Assert.Equal(1, score.GetProperty("wrongMitigations").GetInt32());
        Assert.True(score.GetProperty("mitigation").GetProperty("correct").GetBoolean());
        Assert.Equal("restart cache", score.GetProperty("mitigation").GetProperty("action").GetString());
        Assert.Equal(JsonValueKind.Number, score.GetProperty("incidentSeconds").ValueKind);

        var report = ended.GetProperty("report").GetString()!;
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains($"data-round-id=\"{round1}\"", html);
        Assert.Contains($"<code class=\"scenario\">{GameDayScenario}</code>", html);
        Assert.DoesNotContain("<script>alert(1)", html, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(report)!, "gameday.json")));

        // Revealed: the rounds' run reports exist and GET /runs names the scenario now.
        var revealedRun = await worker.GetFromJsonAsync<JsonElement>($"/runs/{round1}");
        Assert.Equal(GameDayScenario, revealedRun.GetProperty("experiment").GetString());
        Assert.True(File.Exists(Path.Combine(revealedRun.GetProperty("reportsFolder").GetString()!, "summary.txt")));
    }

    /// <summary>The surfaces a blue team can read while a hidden round is live.</summary>
    private async Task AssertNoScenarioAnywhereAsync(HttpClient worker, HttpClient control, string roundId)
    {
        var run = await worker.GetStringAsync($"/runs/{roundId}");
        Assert.Contains($"\"experiment\":\"{roundId}\"", run, StringComparison.Ordinal);
        var leases = await control.GetStringAsync("/leases");
        Assert.Contains(roundId, leases, StringComparison.Ordinal); // the lease is named after the round
        Assert.DoesNotContain("stop cache", leases, StringComparison.Ordinal); // and does not say what it holds
        var gameDay = await worker.GetStringAsync("/gamedays/current");
        foreach (var surface in new[] { run, leases, gameDay })
        {
            Assert.DoesNotContain(GameDayScenario, surface, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var proxy in new[] { "cache-proxy", "db-proxy" })
        {
            Assert.True(Lab.App.ResourceNotifications.TryGetCurrentState(proxy, out var state), $"{proxy} has no state");
            Assert.All(state!.Snapshot.HealthReports, health =>
                Assert.DoesNotContain(GameDayScenario, health.Description ?? "", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>Every line the worker (the <c>chaos</c> resource) has logged so far.</summary>
    private async Task<IReadOnlyList<string>> ChaosLogAsync()
    {
        var lines = new List<string>();
        await foreach (var batch in Lab.App.Services.GetRequiredService<ResourceLoggerService>().GetAllAsync(Lab.Resource("chaos")))
        {
            lines.AddRange(batch.Select(line => line.Content));
        }

        return lines;
    }
}
