using System.Text.Json;
using VokeTag.Experiments;
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
        Assert.Contains($"chaos: dry run: {ExperimentFolder.Files(Checkout).Count} experiment(s) planned, nothing injected.", text);
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

    [Fact]
    public async Task Validate_checks_files_without_a_lab_and_names_every_problem_where_it_is()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-validate-");
        try
        {
            var builtIn = await File.ReadAllTextAsync(Path.Combine(Checkout, "redis-failure.yaml"));
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "good.yaml"), builtIn);
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, "broken.yaml"),
                new System.Text.RegularExpressions.Regex("threshold: 80%").Replace(builtIn.Replace("name: redis-failure", "name: Broken"), "threshold: 0.8", count: 1));

            var (broken, brokenText) = await RunAppHostAsync([$"Chaos:Validate={folder.FullName}"]);
            var (valid, validText) = await RunAppHostAsync(["Chaos:Validate=experiments"]);
            var (listed, listText) = await RunAppHostAsync(["Chaos:List=true"]);

            Assert.True(broken == 2, brokenText);
            Assert.Contains("broken.yaml:2:7: name: found 'Broken'", brokenText);
            Assert.Contains("broken.yaml:42:16: criteria[0].threshold: found '0.8'; allowed: a percentage", brokenText);
            Assert.Contains("1 of 2 experiment file(s) cannot run (2 problem(s)).", brokenText);
            Assert.True(valid == 0, validText);
            Assert.Contains($"{ExperimentFolder.Files(Checkout).Count} experiment file(s) valid", validText);
            Assert.True(listed == 0, listText);
            Assert.All(ExperimentFolder.Files(Checkout), file => Assert.Contains($"  {Path.GetFileNameWithoutExtension(file)} ", listText));
            Assert.DoesNotContain("waiting for the lab", brokenText + validText + listText);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Export_writes_the_kubernetes_tree_without_a_lab_and_refuses_bad_settings_by_name()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-export-");
        try
        {
            var (exported, exportText) = await RunAppHostAsync(["Chaos:Export=k8s", "Chaos:Engine=chaos-mesh", $"Chaos:Out={folder.FullName}"]);
            var (noEngine, noEngineText) = await RunAppHostAsync(["Chaos:Export=k8s", $"Chaos:Out={folder.FullName}"]);
            var (mixed, mixedText) = await RunAppHostAsync(["Chaos:Export=k8s", "Chaos:Engine=litmus", "Chaos:Run=all"]);

            Assert.True(exported == 0, exportText);
            Assert.Contains("redis-failure          exported: experiments/redis-failure/ (PodChaos redis-failure)", exportText);
            Assert.Contains("canary-5-percent       NOT exported (canary-5-percent.yaml): call-error cache has no equivalent in Chaos Mesh", exportText);
            Assert.True(File.Exists(Path.Combine(folder.FullName, "experiments", "redis-failure", "chaos.yaml")));
            Assert.False(Directory.Exists(Path.Combine(folder.FullName, "experiments", "canary-5-percent")));
            Assert.True(noEngine == 2, noEngineText);
            Assert.Contains("Chaos:Engine is missing; allowed: litmus, chaos-mesh.", noEngineText);
            Assert.True(mixed == 2, mixedText);
            Assert.Contains("Chaos:Run is not a setting of the export", mixedText);
            Assert.DoesNotContain("waiting for the lab", exportText + noEngineText + mixedText);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_run_of_a_broken_file_exits_2_naming_its_problems_before_the_lab_starts()
    {
        var file = Path.Combine(Path.GetTempPath(), $"voketag-broken-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, (await File.ReadAllTextAsync(Path.Combine(Checkout, "redis-failure.yaml"))).Replace("kind: stop", "kind: stopp"));
        try
        {
            var (exitCode, text) = await RunAppHostAsync([$"Chaos:Run={file}"]);

            Assert.True(exitCode == 2, text);
            Assert.Contains("faults[0].kind: found 'stopp' (did you mean 'stop'?)", text);
            Assert.DoesNotContain("waiting for the lab", text);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Chaos_toolkit_files_run_from_the_command_line_with_their_commands_variables_and_journals()
    {
        var folder = Directory.CreateTempSubdirectory("voketag-ctk-cli-");
        try
        {
            var commands = Path.Combine(folder.FullName, "commands.yaml");
            await File.WriteAllTextAsync(commands, """
                title: Commands and the API agree
                description: process providers run only with Chaos:AllowProcess=true; Chaos:Var replaces a declared value.
                configuration:
                  tag: VT-000001
                steady-state-hypothesis:
                  title: The shell and the API answer
                  probes:
                    - type: probe
                      name: shell-says-hello
                      tolerance: {type: regex, target: stdout, pattern: "^hello lab$"}
                      provider: {type: process, path: echo, arguments: [hello, lab]}
                    - type: probe
                      name: the-var-reached-the-url
                      tolerance: {type: jsonpath, target: body, path: "$.id", expect: VT-000002}
                      provider: {type: http, url: "${api_url}/tags/${tag}"}
                method:
                  - type: action
                    name: exit-3-is-an-output
                    provider: {type: process, path: sh, arguments: "-c 'exit 3'"}
                """);
            var unsteady = Path.Combine(folder.FullName, "unsteady.json");
            await File.WriteAllTextAsync(unsteady, """
                {"title": "Unsteady from the start", "description": "The steady state cannot hold, so the method must not run.",
                 "steady-state-hypothesis": {"title": "Verification answers 500", "probes": [
                   {"type": "probe", "name": "answers-500", "tolerance": 500, "provider": {"type": "http", "url": "${api_url}/tags/VT-000001"}}]},
                 "method": [{"type": "action", "name": "never-runs", "provider": {"type": "lab", "fault": "stop", "target": "cache"}}]}
                """);

            var (exitCode, text) = await RunAppHostAsync([$"Chaos:Run={commands},{unsteady}", "Chaos:AllowProcess=true", "Chaos:Var:tag=VT-000002"]);

            Assert.True(exitCode == 1, text); // the unsteady file: stricter than chaos run, which exits 0 there
            Assert.Contains("PASS: steady state after the method: shell-says-hello", text);
            Assert.Contains("PASS: steady state after the method: the-var-reached-the-url", text);
            Assert.Contains("Failed: unsteady (failed: before: answers-500)", text);
            Assert.Contains("the steady state did not hold before the method, so the method did not run", text);
            var journals = text.Split('\n').Where(line => line.Contains("chaos: Chaos Toolkit journal: ", StringComparison.Ordinal))
                .Select(line => line[(line.IndexOf("journal: ", StringComparison.Ordinal) + "journal: ".Length)..].Trim()).ToList();
            Assert.Equal(2, journals.Count);
            var run = JsonDocument.Parse(await File.ReadAllTextAsync(journals[0])).RootElement.GetProperty("run")[0];
            Assert.Equal("succeeded", run.GetProperty("status").GetString());
            Assert.Equal(3, run.GetProperty("output").GetProperty("status").GetInt32());
            Assert.Empty(JsonDocument.Parse(await File.ReadAllTextAsync(journals[1])).RootElement.GetProperty("run").EnumerateArray());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static string Checkout => ExperimentFolder.Find(null, AppContext.BaseDirectory);

    private Task<(int ExitCode, string Output)> RunAppHostAsync(string[] settings) => AppHostCli.RunAsync(settings, output);
}
