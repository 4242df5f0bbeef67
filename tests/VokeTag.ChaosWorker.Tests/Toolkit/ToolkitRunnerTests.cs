using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Telemetry;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

/// <summary>
/// The Chaos Toolkit runner's flow against a small API on loopback that can be broken and healed by the file's own
/// actions: strategies, rollbacks, background activities, refs and substitution, as chaoslib's source runs them.
/// </summary>
public sealed class ToolkitRunnerTests : IAsyncLifetime
{
    private WebApplication _server = null!;
    private ToolkitRunner _runner = null!;
    private volatile bool _broken;

    public async Task InitializeAsync()
    {
        (_server, var api) = await LoopbackServer.StartAsync(server =>
        {
            server.MapGet("/state", () => _broken ? Results.StatusCode(503) : Results.Ok(new { state = "steady" }));
            server.MapPost("/break", () => { _broken = true; return Results.NoContent(); });
            server.MapPost("/heal", () => { _broken = false; return Results.NoContent(); });
            server.MapGet("/away", () => Results.Redirect("http://127.0.0.2:9/elsewhere"));
            server.MapGet("/slow", async () => { await Task.Delay(TimeSpan.FromSeconds(1)); return Results.Ok(); });
            server.MapGet("/echo", (HttpContext context) => Results.Ok(new { authorization = context.Request.Headers.Authorization.ToString(), query = context.Request.QueryString.Value }));
        }, services => services.AddMetrics());
        var nowhere = new Uri("http://127.0.0.1:1");
        _runner = new ToolkitRunner(new LabControlClient(new HttpClient { BaseAddress = nowhere }, TimeProvider.System), new ApiChaosHooks(nowhere, "secret"),
            new WorkerSettings(api, nowhere, "secret"), new ChaosTelemetry(_server.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()),
            TimeProvider.System, NullLogger<ToolkitRunner>.Instance);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_hypothesis_that_fails_after_the_method_deviates_and_default_rollbacks_still_play()
    {
        var run = await RunAsync(BreakingFile(hypothesis: "default", rollbacks: "default"));

        Assert.Equal(RunStatus.Failed, run.Status);
        Assert.Equal("completed", Journal(run)["status"]!.ToString());
        Assert.True(Journal(run)["deviated"]!.GetValue<bool>());
        Assert.True(SteadyState(run, "before")!["steady_state_met"]!.GetValue<bool>());
        Assert.False(SteadyState(run, "after")!["steady_state_met"]!.GetValue<bool>());
        Assert.Equal("heal", Assert.Single(Journal(run)["rollbacks"]!.AsArray())!["activity"]!["name"]!.ToString());
        Assert.False(_broken);
        Assert.Contains(run.Verdict!.Failures, failure => failure.Criterion.Name == "after: state-is-steady");
    }

    [Theory]
    [InlineData("never", false)]
    [InlineData("always", true)]
    [InlineData("deviated", true)]
    [InlineData("default", true)]
    public async Task Each_rollback_strategy_plays_the_rollbacks_of_a_deviated_run_or_not(string strategy, bool played)
    {
        var run = await RunAsync(BreakingFile(hypothesis: "default", rollbacks: strategy));

        Assert.Equal(played, Journal(run)["rollbacks"]!.AsArray().Count == 1);
        Assert.Equal(!played, _broken);
    }

    [Fact]
    public async Task The_deviated_rollback_strategy_plays_nothing_when_the_run_held()
    {
        var run = await RunAsync(BreakingFile(hypothesis: "before-method-only", rollbacks: "deviated"));

        Assert.Equal(RunStatus.Passed, run.Status);
        Assert.Empty(Journal(run)["rollbacks"]!.AsArray());
        Assert.Null(SteadyState(run, "after"));
    }

    [Theory]
    [InlineData("before-method-only", true, false, false)]
    [InlineData("after-method-only", false, false, true)]
    [InlineData("during-method-only", false, true, false)]
    [InlineData("continuously", true, true, true)]
    public async Task Each_hypothesis_strategy_checks_the_steady_state_where_chaoslib_does(string strategy, bool before, bool during, bool after)
    {
        var run = await RunAsync(BreakingFile(hypothesis: strategy, rollbacks: "default", pauseAfterBreak: 1.5));

        Assert.Equal(before, SteadyState(run, "before") is not null);
        Assert.Equal(during, Journal(run)["steady_states"]!["during"]!.AsArray().Count > 0);
        Assert.Equal(after, SteadyState(run, "after") is not null);
        // Only the hypothesis after the method decides deviated; during it only counts with fail_fast.
        Assert.Equal(after, Journal(run)["deviated"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_continuous_hypothesis_with_fail_fast_stops_the_method_at_its_next_activity()
    {
        var run = await RunAsync(BreakingFile(hypothesis: "continuously", rollbacks: "always", pauseAfterBreak: 3, frequency: 0.2, failFast: true, thenHeal: true));

        Assert.DoesNotContain(Journal(run)["run"]!.AsArray(), record => record!["activity"]!["name"]!.ToString() == "heal-in-the-method");
        Assert.Contains(Journal(run)["steady_states"]!["during"]!.AsArray(), state => !state!["steady_state_met"]!.GetValue<bool>());
        // The hypothesis after the method still runs and, failing, overwrites fail-fast's "failed", as in chaoslib.
        Assert.Equal("completed", Journal(run)["status"]!.ToString());
        Assert.True(Journal(run)["deviated"]!.GetValue<bool>());
        Assert.Single(Journal(run)["rollbacks"]!.AsArray()); // always
    }

    [Fact]
    public async Task A_background_activity_runs_beside_the_next_one_and_refs_and_substitution_resolve()
    {
        Environment.SetEnvironmentVariable("VOKETAG_TEST_TOKEN", "s3cret");
        var run = await RunAsync("""
            title: Background and refs
            description: t
            configuration:
              who: {type: env, key: VOKETAG_TEST_WHO, default: lab}
            secrets:
              api:
                token: {type: env, key: VOKETAG_TEST_TOKEN}
            steady-state-hypothesis:
              title: echoes
              probes:
                - type: probe
                  name: echo-says-who
                  tolerance: {type: jsonpath, target: body, path: "$.query", expect: "?who=lab"}
                  provider: {type: http, url: "${api_url}/echo", arguments: {who: "${who}"}}
            method:
              - type: probe
                name: slow-in-background
                background: true
                provider: {type: http, url: "${api_url}/slow"}
              - type: probe
                name: with-a-secret
                provider: {type: http, url: "${api_url}/echo", headers: {Authorization: "Bearer ${token}"}}
              - ref: echo-says-who
            """);

        Assert.Equal(RunStatus.Passed, run.Status);
        // Records are in the order activities started: the background one and the next may start in either order.
        var records = Journal(run)["run"]!.AsArray().ToDictionary(record => record!["activity"]!["name"]!.ToString(), record => record!.AsObject());
        Assert.Equal(["echo-says-who", "slow-in-background", "with-a-secret"], records.Keys.Order());
        Assert.Equal("echo-says-who", Journal(run)["run"]!.AsArray().Last()!["activity"]!["name"]!.ToString());
        // The foreground probe started before the background one ended.
        Assert.True(DateTimeOffset.Parse(records["with-a-secret"]["start"]!.ToString()) < DateTimeOffset.Parse(records["slow-in-background"]["end"]!.ToString()));
        Assert.Contains("Bearer s3cret", records["with-a-secret"]["output"]!["body"]!.ToString());
        // the journal keeps the file's text
        Assert.Equal("Bearer ${token}", records["with-a-secret"]["activity"]!["provider"]!["headers"]!["Authorization"]!.ToString());
    }

    [Fact]
    public async Task A_command_without_permission_aborts_the_method_and_with_it_runs_as_argv()
    {
        const string file = """
            title: Commands
            description: t
            method:
              - {type: probe, name: say, provider: {type: process, path: echo, arguments: [one, 2, true]}}
            """;

        var refused = await RunAsync(file);
        var allowed = await RunAsync(file, ToolkitRunSettings.None with { ProcessAllowed = true });

        Assert.Equal(RunStatus.Aborted, refused.Status);
        Assert.Contains("commands run only from the command line with Chaos:AllowProcess=true", refused.Error);
        var output = Journal(allowed)["run"]![0]!["output"]!;
        Assert.Equal("one 2 True\n", output["stdout"]!.ToString()); // Python's str() of each argument
        Assert.Equal(0, output["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_redirect_outside_the_lab_is_not_followed()
    {
        var run = await RunAsync("""
            title: Redirected
            description: t
            method:
              - {type: probe, name: follow, provider: {type: http, url: "${api_url}/away"}}
            """);

        var record = Journal(run)["run"]![0]!;
        Assert.Equal("failed", record["status"]!.ToString());
        Assert.Contains("host '127.0.0.2:9' is outside the lab", record["exception"]![0]!.ToString());
    }

    [Fact]
    public async Task Anything_but_an_activity_failure_aborts_the_method_and_the_rollbacks_still_play()
    {
        var run = await RunAsync("""
            title: Aborts
            description: t
            method:
              - {type: action, name: break, provider: {type: http, method: POST, url: "${api_url}/break"}}
              - {type: probe, name: not-a-url, provider: {type: http, url: "nowhere"}}
              - {type: action, name: never-runs, provider: {type: http, method: POST, url: "${api_url}/heal"}}
            rollbacks:
              - {type: action, name: heal, provider: {type: http, method: POST, url: "${api_url}/heal"}}
            """);

        Assert.Equal(RunStatus.Aborted, run.Status);
        Assert.Equal("aborted", Journal(run)["status"]!.ToString());
        Assert.Contains("'nowhere' is not an http(s) URL", run.Error);
        Assert.DoesNotContain(Journal(run)["run"]!.AsArray(), record => record!["activity"]!["name"]!.ToString() == "never-runs");
        Assert.Single(Journal(run)["rollbacks"]!.AsArray()); // default strategy: an aborted run plays them
        Assert.False(_broken);
    }

    [Fact]
    public async Task A_list_tolerance_is_not_substituted_as_chaoslib_leaves_it()
    {
        var run = await RunAsync("""
            title: Raw list
            description: t
            configuration: {ok: 200}
            steady-state-hypothesis:
              title: steady
              probes:
                - {type: probe, name: listed, tolerance: ["${ok}"], provider: {type: http, url: "${api_url}/state"}}
            method: []
            """);

        Assert.False(SteadyState(run, "before")!["probes"]![0]!["tolerance_met"]!.GetValue<bool>());
    }

    private async Task<ExperimentRun> RunAsync(string yaml, ToolkitRunSettings? settings = null)
    {
        var result = VokeTag.Experiments.ExperimentFileReader.Parse(yaml, "test.yaml");
        Assert.True(result.Toolkit is not null, string.Join(Environment.NewLine, result.Problems));
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        return await _runner.RunAsync(new ToolkitFileExperiment(result.Toolkit!), settings ?? ToolkitRunSettings.None, "test-run", deadline.Token);
    }

    /// <summary>A file whose method breaks the API (its steady state then fails) and whose rollback heals it.</summary>
    private static string BreakingFile(string hypothesis, string rollbacks, double pauseAfterBreak = 0, double frequency = 1, bool failFast = false, bool thenHeal = false)
    {
        var heal = thenHeal ? """  - {type: action, name: heal-in-the-method, provider: {type: http, method: POST, url: "${api_url}/heal"}}""" : "";
        return $$$"""
        title: Break and heal
        description: t
        runtime:
          hypothesis: {strategy: {{{hypothesis}}}, frequency: {{{frequency}}}, fail_fast: {{{failFast.ToString().ToLowerInvariant()}}}}
          rollbacks: {strategy: {{{rollbacks}}}}
        steady-state-hypothesis:
          title: steady
          probes:
            - {type: probe, name: state-is-steady, tolerance: 200, provider: {type: http, url: "${api_url}/state"}}
        method:
          - type: action
            name: break
            provider: {type: http, method: POST, url: "${api_url}/break"}
            pauses: {after: {{{pauseAfterBreak}}}}
        {{{heal}}}
        rollbacks:
          - {type: action, name: heal, provider: {type: http, method: POST, url: "${api_url}/heal"}}
        """;
    }

    private static JsonObject Journal(ExperimentRun run) => run.Journal!;

    private static JsonNode? SteadyState(ExperimentRun run, string when) => run.Journal!["steady_states"]![when];
}
