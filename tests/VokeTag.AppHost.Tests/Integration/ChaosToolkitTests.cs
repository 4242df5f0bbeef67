using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using VokeTag.Experiments;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// Chaos Toolkit files in the real lab: run through the worker as the lab's own files are, a journal in chaoslib's
/// shape, lab faults under the run's lease (rolled back on stop, undone by the lab on kill -9), and no command or
/// foreign host without the user's say.
/// </summary>
public sealed partial class ExperimentTests
{
    private static string ToolkitExamples => Path.Combine(ExperimentFolder.Find(null, AppContext.BaseDirectory), "chaostoolkit");

    [Fact]
    public async Task A_chaos_toolkit_file_stops_redis_through_the_lab_and_writes_chaoslibs_journal()
    {
        var result = await RunAsync(Path.Combine(ToolkitExamples, "redis-outage.json"));

        Assert.True(result.Status == "passed", result.Summary);
        var journal = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.ReportsFolder, "journal.json"))).RootElement;
        Assert.Equal(["chaoslib-version", "platform", "node", "experiment", "start", "status", "deviated", "steady_states", "run", "rollbacks", "end", "duration"],
            journal.EnumerateObject().Select(property => property.Name));
        Assert.Equal("completed", journal.GetProperty("status").GetString());
        Assert.False(journal.GetProperty("deviated").GetBoolean());
        Assert.True(journal.GetProperty("steady_states").GetProperty("before").GetProperty("steady_state_met").GetBoolean());
        // The hypothesis after the method runs before the rollbacks: Redis is still stopped, and verification holds.
        Assert.True(journal.GetProperty("steady_states").GetProperty("after").GetProperty("steady_state_met").GetBoolean());
        var run = journal.GetProperty("run").EnumerateArray().ToList();
        Assert.Equal(["stop-redis", "verify-without-the-cache", "tag-verifies"], run.Select(record => record.GetProperty("activity").GetProperty("name").GetString()));
        Assert.All(run, record => Assert.Equal("succeeded", record.GetProperty("status").GetString()));
        Assert.Equal("stop", run[0].GetProperty("output").GetProperty("fault").GetString());
        Assert.Equal(200, run[1].GetProperty("output").GetProperty("status").GetInt32());
        var rollback = Assert.Single(journal.GetProperty("rollbacks").EnumerateArray());
        Assert.Equal("stop (cache)", Assert.Single(rollback.GetProperty("output").GetProperty("rolled_back").EnumerateArray()).GetString());
        Assert.Contains("PASS: steady state after the method: tag-verifies", result.Summary);
        Assert.Contains("stop (cache)", result.Summary); // blast radius
        await LabWaits.RunningAsync(Lab.App, "cache", TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_http_only_chaos_toolkit_file_judges_every_tolerance_form_it_uses()
    {
        var result = await RunAsync(Path.Combine(ToolkitExamples, "api-smoke.yaml"));

        Assert.True(result.Status == "passed", result.Summary);
        var journal = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.ReportsFolder, "journal.json"))).RootElement;
        var probes = journal.GetProperty("steady_states").GetProperty("after").GetProperty("probes").EnumerateArray().ToList();
        Assert.Equal([200, 404, 200], probes.Select(probe => probe.GetProperty("output").GetProperty("status").GetInt32()));
        Assert.All(probes, probe => Assert.True(probe.GetProperty("tolerance_met").GetBoolean()));
        Assert.Equal(201, Assert.Single(journal.GetProperty("run").EnumerateArray()).GetProperty("output").GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_chaos_toolkit_file_whose_steady_state_does_not_hold_fails_with_the_probe_named()
    {
        var file = await ToolkitFileAsync("wrong-status.yaml", """
            title: Expects the wrong status
            description: A tolerance the API cannot meet, so the verdict must be FAIL.
            steady-state-hypothesis:
              title: Verification answers 204
              probes:
                - type: probe
                  name: verifies-with-204
                  tolerance: 204
                  provider: {type: http, url: "${api_url}/tags/VT-000001"}
            method: []
            """);

        var result = await RunAsync(file);

        Assert.Equal("failed", result.Status);
        Assert.Contains("before: verifies-with-204", result.FailedCriteria);
        Assert.Contains("the steady state did not hold before the method", result.Summary);
        var journal = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(result.ReportsFolder, "journal.json"))).RootElement;
        Assert.Equal("completed", journal.GetProperty("status").GetString()); // as chaoslib writes it; the lab's verdict is stricter
        Assert.Equal(JsonValueKind.Null, journal.GetProperty("steady_states").GetProperty("after").ValueKind);
    }

    [Fact]
    public async Task Commands_and_hosts_outside_the_lab_are_refused_through_the_api_and_a_dry_run_lists_every_command()
    {
        var commands = await ToolkitFileAsync("runs-commands.json", """
            {"title": "Runs a command", "description": "process provider",
             "method": [{"type": "action", "name": "say-hello", "provider": {"type": "process", "path": "echo", "arguments": ["hello", "lab"]}}]}
            """);
        var foreign = await ToolkitFileAsync("calls-out.json", """
            {"title": "Calls out", "description": "http provider to a host outside the lab",
             "method": [{"type": "probe", "name": "call-home", "provider": {"type": "http", "url": "http://127.0.0.2:9/ping"}}]}
            """);
        var echo = VokeTag.Experiments.ChaosToolkit.ToolkitValidationContext.Which("echo"); // /bin/echo or /usr/bin/echo
        using var worker = Worker();

        using var refused = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { commands } });
        using var listed = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { commands }, dryRun = true });
        using var outside = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { foreign } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var refusal = await refused.Content.ReadAsStringAsync();
        Assert.True(refusal.Contains($"runs the command '{echo} hello lab'; commands run only from the command line, with Chaos:AllowProcess=true", StringComparison.Ordinal), refusal);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        var plan = (await listed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plans")[0];
        Assert.Contains($"method[0]: action 'say-hello': process {echo} hello lab", plan.GetProperty("activities").EnumerateArray().Select(step => step.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        Assert.Contains("host '127.0.0.2:9' is outside the lab", await outside.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Stopping_a_chaos_toolkit_run_plays_its_rollbacks_and_the_journal_says_interrupted()
    {
        var (runId, worker) = await StartLongToolkitFaultAsync();
        using (worker)
        {
            await LabWaits.StoppedAsync(Lab.App, "cache", TimeSpan.FromSeconds(30));

            using var stopped = await worker.PostAsync("/runs/stop", null);

            Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
            await LabWaits.RunningAsync(Lab.App, "cache", UndoLimit);
            var view = await worker.GetFromJsonAsync<JsonElement>($"/runs/{runId}");
            Assert.Equal("interrupted", view.GetProperty("status").GetString());
            var journal = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(view.GetProperty("reportsFolder").GetString()!, "journal.json"))).RootElement;
            Assert.Equal("interrupted", journal.GetProperty("status").GetString());
            // chaos run skips rollbacks on interrupt; the lab plays them.
            Assert.Equal("note-the-stop", Assert.Single(journal.GetProperty("rollbacks").EnumerateArray()).GetProperty("activity").GetProperty("name").GetString());
        }

        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task Killing_the_worker_mid_chaos_toolkit_fault_makes_the_lab_undo_it()
    {
        var (_, worker) = await StartLongToolkitFaultAsync();
        worker.Dispose();
        await LabWaits.StoppedAsync(Lab.App, "cache", TimeSpan.FromSeconds(30));

        var pid = await LabWaits.PidAsync(Lab.App, "chaos", TimeSpan.FromSeconds(10));
        var sinceKill = Stopwatch.StartNew();
        using (var chaos = Process.GetProcessById(pid))
        {
            chaos.Kill(entireProcessTree: true); // kill -9: the runner plays no rollback
        }

        await LabWaits.RunningAsync(Lab.App, "cache", UndoLimit);
        Output.WriteLine($"the Chaos Toolkit run's fault undone {sinceKill.ElapsedMilliseconds} ms after kill -9 of the worker");
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(2));
    }

    /// <summary>A Chaos Toolkit run that stops Redis and then waits a minute: long enough to stop or kill it meanwhile.</summary>
    private async Task<(string RunId, HttpClient Worker)> StartLongToolkitFaultAsync()
    {
        var file = await ToolkitFileAsync("long-outage.yaml", """
            title: Redis stays down a while
            description: Stops the cache and pauses, so that the run can be interrupted with the fault live.
            method:
              - type: action
                name: stop-redis
                provider: {type: lab, fault: stop, target: cache}
                pauses: {after: 60}
            rollbacks:
              - type: probe
                name: note-the-stop
                provider: {type: http, url: "${api_url}/tags/VT-000001", timeout: 5}
            """);
        var worker = Worker();
        using var started = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { file } });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        return ((await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runIds")[0].GetString()!, worker);
    }

    private static async Task<string> ToolkitFileAsync(string name, string text)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("voketag-ctk-").FullName, name);
        await File.WriteAllTextAsync(file, text);
        return file;
    }
}
