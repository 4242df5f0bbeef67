using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Headless;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Tests.Headless;

public class HeadlessRunSettingsTests
{
    [Fact]
    public void Without_Chaos_Run_the_lab_runs_interactively()
    {
        Assert.Null(HeadlessRunSettings.Read(Configuration(), AppContext.BaseDirectory));
    }

    [Fact]
    public void The_run_its_options_thresholds_and_dry_run_are_read()
    {
        var settings = HeadlessRunSettings.Read(Configuration(
            ("Chaos:Run", "redis-failure, pod-failure"), ("Chaos:ImpactSeconds", "30"), ("Chaos:Thresholds:error-rate", "0.05"), ("Chaos:DryRun", "true")), AppContext.BaseDirectory)!;

        Assert.Equal(["redis-failure", "pod-failure"], settings.Experiments);
        Assert.Equal(30, settings.Options["impactSeconds"]);
        Assert.Equal(0.05, settings.Thresholds["error-rate"]);
        Assert.True(settings.DryRun);
        Assert.Equal(true, settings.RequestBody()["dryRun"]);
    }

    [Theory]
    [InlineData("Chaos:Run", "", "Chaos:Run is empty")]
    [InlineData("Chaos:Run", " , ,", "Chaos:Run is empty")]
    [InlineData("Chaos:ImpactSeconds", "abc", "Chaos:ImpactSeconds is 'abc'; allowed: a number")]
    [InlineData("Chaos:RatePerSecond", "1e999", "Chaos:RatePerSecond is '1e999'")]
    [InlineData("Chaos:BaselineSeconds", "", "Chaos:BaselineSeconds is ''")]
    [InlineData("Chaos:Thresholds:error-rate", "low", "Chaos:Thresholds:error-rate is 'low'")]
    [InlineData("Chaos:DryRun", "maybe", "Chaos:DryRun is 'maybe'; allowed: true, false")]
    [InlineData("Chaos:Speed", "3", "Chaos:Speed is not a setting of a headless run; allowed: Chaos:BaselineSeconds")]
    public void A_bad_setting_is_named_with_what_is_allowed(string key, string value, string named)
    {
        var settings = key == "Chaos:Run" ? new[] { (key, value) } : [("Chaos:Run", "all"), (key, value)];

        var problem = Assert.Throws<LabSetupException>(() => HeadlessRunSettings.Read(Configuration(settings), AppContext.BaseDirectory));

        Assert.Contains(named, problem.Message);
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
}
