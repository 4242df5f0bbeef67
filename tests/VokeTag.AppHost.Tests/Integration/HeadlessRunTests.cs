using Xunit.Abstractions;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The documented CI command, as a user runs it: <c>dotnet run --project VokeTag.AppHost -- Chaos:Run=…</c> starts
/// the lab, runs the experiments, prints the verdicts and exits 0 (all held), 1 (one failed, criterion named) or
/// 2 (bad input, nothing started or injected).
/// </summary>
[Collection(LabCollection.Name)]
public sealed class HeadlessRunTests(ITestOutputHelper output)
{
    private static readonly string[] ShortPhases =
        ["Chaos:BaselineSeconds=3", "Chaos:ImpactSeconds=5", "Chaos:RecoverySeconds=10", "Chaos:SustainSeconds=2"];

    [Fact]
    public async Task Exits_0_when_every_hypothesis_holds()
    {
        var (exitCode, text) = await RunAppHostAsync(["Chaos:Run=redis-failure", .. ShortPhases]);

        Assert.True(exitCode == 0, text);
        Assert.Contains("REDIS FAILURE EXPERIMENT RESULTS", text);
        Assert.Contains("chaos: 1 of 1 experiments held.", text);
        // http-only lab: no resource asks for a certificate, so Aspire neither logs nor shows the "No trusted development
        // certificate" warning (the dashboard's red banner).
        Assert.DoesNotContain("development certificate", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Exits_1_naming_the_failing_criterion()
    {
        // A latency increase below 0x cannot hold: the run fails on that criterion alone.
        var (exitCode, text) = await RunAppHostAsync(["Chaos:Run=redis-failure", "Chaos:Thresholds:latency-increase=0", .. ShortPhases]);

        Assert.True(exitCode == 1, text);
        Assert.Contains("FAIL: Latency degradation is acceptable", text);
        Assert.Contains("Failed: redis-failure (failed: latency-increase)", text);
    }

    [Fact]
    public async Task A_dry_run_prints_the_plan_exits_0_and_injects_nothing()
    {
        var (exitCode, text) = await RunAppHostAsync(["Chaos:Run=all", "Chaos:DryRun=true"]);

        Assert.True(exitCode == 0, text);
        Assert.Contains("chaos: dry run: 6 experiment(s) planned, nothing injected.", text);
        Assert.Contains("\"target\": \"cache-proxy\"", text);
    }

    [Theory]
    [InlineData("Chaos:Run=", "Chaos:Run is empty")]
    [InlineData("Chaos:ImpactSeconds=soon", "Chaos:ImpactSeconds is 'soon'")]
    [InlineData("Chaos:Impact=5", "Chaos:Impact is not a setting")]
    [InlineData("Chaos:Thresholds:error-rate=low", "Chaos:Thresholds:error-rate is 'low'")]
    public async Task Bad_settings_exit_2_naming_the_setting_before_the_lab_starts(string setting, string named)
    {
        var arguments = setting.StartsWith("Chaos:Run", StringComparison.Ordinal) ? new[] { setting } : ["Chaos:Run=redis-failure", setting];

        var (exitCode, text) = await RunAppHostAsync(arguments);

        Assert.True(exitCode == 2, text);
        Assert.Contains(named, text);
        Assert.DoesNotContain("waiting for the lab", text);
    }

    [Fact]
    public async Task An_unknown_experiment_exits_2_and_injects_nothing()
    {
        var (exitCode, text) = await RunAppHostAsync(["Chaos:Run=disk-full"]);

        Assert.True(exitCode == 2, text);
        Assert.Contains("experiment 'disk-full' is unknown", text);
        Assert.DoesNotContain("[1/", text); // no run was queued
    }

    private Task<(int ExitCode, string Output)> RunAppHostAsync(string[] settings) => AppHostCli.RunAsync(settings, output);
}
