using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.GameDays;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>Every bad game day request is refused naming the field and the allowed values; good ones draw reproducibly.</summary>
public class GameDayRequestTests
{
    public static TheoryData<GameDayRequest, string> BadRequests => new()
    {
        { new GameDayRequest(null), "scenarios is empty; allowed: " },
        { new GameDayRequest([]), "scenarios is empty" },
        { new GameDayRequest(["disk-full"]), "scenarios: 'disk-full' is not an experiment; allowed: " },
        { new GameDayRequest(["experiments/redis-failure.yaml"]), "scenarios: 'experiments/redis-failure.yaml' is not an experiment" },
        { new GameDayRequest(["redis-failure"], Rounds: 0), "rounds is 0; allowed 1 to 10." },
        { new GameDayRequest(["redis-failure"], Rounds: 11), "rounds is 11; allowed 1 to 10." },
        { new GameDayRequest(["redis-failure"], RoundLimitSeconds: 29), "roundLimitSeconds is 29; allowed 30 to 1800 seconds." },
        { new GameDayRequest(["redis-failure"], RoundLimitSeconds: 1801), "roundLimitSeconds is 1801; allowed 30 to 1800 seconds." },
        { new GameDayRequest(["redis-failure"], RoundLimitSeconds: double.NaN), "roundLimitSeconds is NaN" },
        { new GameDayRequest(["redis-failure"], BaselineSeconds: 0), "baselineSeconds is 0; allowed 1 to 600 seconds." },
        { new GameDayRequest(["redis-failure"], RecoverySeconds: 1e308), "recoverySeconds is 1E+308" },
        { new GameDayRequest(["redis-failure"], RecoverySeconds: 5, SustainSeconds: 6), "redis-failure: sustainFor is 6 s" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public void A_bad_request_is_refused_with_the_field_and_the_allowed_values(GameDayRequest request, string expected)
    {
        var (plan, problems) = request.Resolve(BuiltIn.Catalog);

        Assert.Null(plan);
        Assert.Contains(problems, problem => problem.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_chaos_toolkit_file_is_refused_by_name()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-gameday-").FullName;
        try
        {
            File.Copy(Path.Combine(BuiltIn.Folder, "redis-failure.yaml"), Path.Combine(folder, "redis-failure.yaml"));
            File.Copy(Path.Combine(BuiltIn.Folder, "chaostoolkit", "redis-outage.json"), Path.Combine(folder, "redis-outage.json"));
            var catalog = new ExperimentCatalog(folder);
            var toolkitName = catalog.All.OfType<ChaosWorker.Toolkit.ToolkitFileExperiment>().Single().Name;

            var (plan, problems) = new GameDayRequest([toolkitName]).Resolve(catalog);

            Assert.Null(plan);
            Assert.Equal($"scenarios: '{toolkitName}' is a Chaos Toolkit file; a game day plays the lab's own experiment files, allowed: redis-failure, or 'all'.", Assert.Single(problems));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_impact_phase_is_the_round_limit_and_the_other_phases_the_scenarios_own_unless_overridden()
    {
        var (plan, problems) = new GameDayRequest(["redis-failure"], Rounds: 2, RoundLimitSeconds: 60, BaselineSeconds: 3).Resolve(BuiltIn.Catalog);

        Assert.Empty(problems);
        Assert.Equal(2, plan!.Rounds.Count);
        Assert.All(plan.Rounds, round =>
        {
            Assert.Equal("redis-failure", round.Scenario.Name);
            Assert.Equal(TimeSpan.FromSeconds(60), round.Options.Impact);
            Assert.Equal(TimeSpan.FromSeconds(3), round.Options.Baseline);
            Assert.Equal(TimeSpan.FromSeconds(40), round.Options.Recovery); // the file's own
        });
        Assert.True(plan.Hidden);
        Assert.Equal(GameDayRequest.DefaultRoundLimit, new GameDayRequest(["redis-failure"]).Resolve(BuiltIn.Catalog).Plan!.RoundLimit);
    }

    [Fact]
    public void A_seed_draws_the_same_scenarios_again_from_the_whole_pool_with_replacement()
    {
        var request = new GameDayRequest(["all"], Rounds: 10, Seed: 42);

        var first = request.Resolve(BuiltIn.Catalog).Plan!.Rounds.Select(round => round.Scenario.Name).ToList();
        var second = request.Resolve(BuiltIn.Catalog).Plan!.Rounds.Select(round => round.Scenario.Name).ToList();

        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "ten draws from the whole pool all came out the same");
        Assert.Contains("redis-failure", request.Resolve(BuiltIn.Catalog).Plan!.Pool);
    }
}
