using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Headless;
using VokeTag.AppHost.Lab;
using VokeTag.Experiments;

namespace VokeTag.AppHost.Tests.Headless;

public class GameDaySettingsTests
{
    [Fact]
    public void Without_Chaos_GameDay_there_is_no_game_day_from_the_command_line()
    {
        Assert.Null(GameDaySettings.Read(Configuration(), AppContext.BaseDirectory));
        Assert.Null(GameDaySettings.Read(Configuration(("Chaos:Run", "all"), ("Chaos:BaselineSeconds", "3")), AppContext.BaseDirectory));
    }

    [Fact]
    public void The_defaults_are_two_hidden_rounds_of_300_seconds_from_the_whole_pool()
    {
        var settings = GameDaySettings.Read(Configuration(("Chaos:GameDay", "all")), AppContext.BaseDirectory)!;

        Assert.Equal(["all"], settings.Scenarios);
        Assert.Equal(2, settings.Rounds);
        Assert.True(settings.Hidden);
        Assert.Equal(300, settings.RoundLimitSeconds);
        Assert.Null(settings.Seed);
        Assert.Empty(settings.Phases);
        Assert.False(settings.RequestBody().ContainsKey("seed"));
    }

    [Fact]
    public void Every_setting_is_read_and_goes_to_the_worker_as_post_gamedays_names_it()
    {
        var settings = GameDaySettings.Read(Configuration(
            ("Chaos:GameDay", " redis-failure, pod-failure ,redis-failure"), ("Chaos:Rounds", "3"), ("Chaos:Hidden", "false"),
            ("Chaos:RoundLimitSeconds", "45.5"), ("Chaos:Seed", "-7"), ("Chaos:BaselineSeconds", "3"), ("Chaos:RecoverySeconds", "20"),
            ("Chaos:SustainSeconds", "2.5"), ("Chaos:RunsDirectory", "/tmp/runs")), AppContext.BaseDirectory)!;

        var body = settings.RequestBody();

        Assert.Equal(["redis-failure", "pod-failure"], (IReadOnlyList<string>)body["scenarios"]);
        Assert.Equal(3, body["rounds"]);
        Assert.Equal(false, body["hidden"]);
        Assert.Equal(45.5, body["roundLimitSeconds"]);
        Assert.Equal(-7, body["seed"]);
        Assert.Equal(3.0, body["baselineSeconds"]);
        Assert.Equal(20.0, body["recoverySeconds"]);
        Assert.Equal(2.5, body["sustainSeconds"]);
    }

    [Theory]
    [InlineData("Chaos:GameDay", " , ", "Chaos:GameDay is empty")]
    [InlineData("Chaos:Rounds", "0", "Chaos:Rounds is '0'; allowed: a whole number from 1 to 10.")]
    [InlineData("Chaos:Rounds", "11", "Chaos:Rounds is '11'; allowed: a whole number from 1 to 10.")]
    [InlineData("Chaos:Rounds", "2.5", "Chaos:Rounds is '2.5'; allowed: a whole number")]
    [InlineData("Chaos:RoundLimitSeconds", "10", "Chaos:RoundLimitSeconds is '10'; allowed: seconds from 30 to 1800.")]
    [InlineData("Chaos:RoundLimitSeconds", "1e999", "Chaos:RoundLimitSeconds is '1e999'")]
    [InlineData("Chaos:BaselineSeconds", "soon", "Chaos:BaselineSeconds is 'soon'; allowed: a number of seconds above 0")]
    [InlineData("Chaos:SustainSeconds", "-1", "Chaos:SustainSeconds is '-1'")]
    [InlineData("Chaos:RecoverySeconds", "NaN", "Chaos:RecoverySeconds is 'NaN'")]
    [InlineData("Chaos:Seed", "lucky", "Chaos:Seed is 'lucky'; allowed: a whole number.")]
    [InlineData("Chaos:Hidden", "maybe", "Chaos:Hidden is 'maybe'; allowed: true, false.")]
    [InlineData("Chaos:ImpactSeconds", "20", "Chaos:ImpactSeconds is not a setting of a game day; allowed: Chaos:GameDay, Chaos:Rounds, Chaos:Hidden, Chaos:RoundLimitSeconds, Chaos:Seed")]
    [InlineData("Chaos:DryRun", "true", "Chaos:DryRun is not a setting of a game day")]
    public void A_bad_setting_is_named_with_what_is_allowed(string key, string value, string named)
    {
        var settings = key == "Chaos:GameDay" ? new[] { (key, value) } : [("Chaos:GameDay", "all"), (key, value)];

        var problem = Assert.Throws<LabSetupException>(() => GameDaySettings.Read(Configuration(settings), AppContext.BaseDirectory));

        Assert.Contains(named, problem.Message);
    }

    [Fact]
    public void Chaos_Run_and_Chaos_GameDay_together_are_refused()
    {
        var problem = Assert.Throws<LabSetupException>(() =>
            GameDaySettings.Read(Configuration(("Chaos:GameDay", "all"), ("Chaos:Run", "redis-failure")), AppContext.BaseDirectory));

        Assert.Contains("Chaos:Run and Chaos:GameDay were both given", problem.Message);
    }

    [Theory]
    [InlineData("Chaos:Rounds", "3")]
    [InlineData("Chaos:RoundLimitSeconds", "60")]
    [InlineData("Chaos:Hidden", "false")]
    public void A_game_day_setting_without_Chaos_GameDay_is_refused_not_ignored(string key, string value)
    {
        var problem = Assert.Throws<LabSetupException>(() => GameDaySettings.Read(Configuration((key, value)), AppContext.BaseDirectory));

        Assert.Contains($"{key} is a setting of a game day, and Chaos:GameDay is not set.", problem.Message);
    }

    [Fact]
    public void An_unknown_scenario_is_refused_naming_the_playable_ones()
    {
        var problem = Assert.Throws<LabSetupException>(() =>
            GameDaySettings.Read(Configuration(("Chaos:GameDay", "redis-failure,disk-full")), AppContext.BaseDirectory));

        Assert.Contains("'disk-full' is not an experiment; allowed: ", problem.Message);
        Assert.Contains("redis-failure", problem.Message);
        Assert.DoesNotContain("'redis-failure'", problem.Message);
    }

    [Fact]
    public void Paths_Chaos_Toolkit_files_and_broken_files_cannot_be_played()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-gameday-settings-");
        try
        {
            var redis = File.ReadAllText(Path.Combine(Checkout, "redis-failure.yaml"));
            File.WriteAllText(Path.Combine(folder.FullName, "redis-failure.yaml"), redis);
            File.WriteAllText(Path.Combine(folder.FullName, "broken.yaml"), redis.Replace("name: redis-failure", "name: broken").Replace("kind: stop", "kind: stopp"));
            File.Copy(Path.Combine(Checkout, "chaostoolkit", "api-smoke.yaml"), Path.Combine(folder.FullName, "api-smoke.yaml"));

            var problem = Assert.Throws<LabSetupException>(() => GameDaySettings.Read(Configuration(
                ("Chaos:GameDay", "redis-failure,api-smoke,broken,experiments/redis-failure.yaml"), ("Chaos:Experiments", folder.FullName)), AppContext.BaseDirectory));

            Assert.Contains("'api-smoke' is a Chaos Toolkit file", problem.Message);
            Assert.Contains("'broken' cannot run: ", problem.Message);
            Assert.Contains("found 'stopp'", problem.Message);
            Assert.Contains("'experiments/redis-failure.yaml' is a path", problem.Message);
            Assert.Contains("allowed: redis-failure, or 'all'", problem.Message);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Checkout => ExperimentFolder.Find(null, AppContext.BaseDirectory);

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
