using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.AppHost.FaultProxy;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// Nothing outlives an experiment: the lab undoes what a dead worker left behind, refuses faults without an owner or
/// outside the lab, plans without injecting, and its control plane answers only the per-start secret.
/// </summary>
public sealed partial class ExperimentTests
{
    private static readonly TimeSpan UndoLimit = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Killing_the_worker_mid_fault_makes_the_lab_undo_its_faults_within_10_s_and_the_worker_returns()
    {
        using var worker = Worker();
        var (_, cacheProxy) = await StartFaultsAsync(worker);

        var pid = await LabWaits.PidAsync(Lab.App, "chaos", TimeSpan.FromSeconds(10));
        var sinceKill = Stopwatch.StartNew();
        using (var chaos = Process.GetProcessById(pid))
        {
            chaos.Kill(entireProcessTree: true); // kill -9: no rollback of its own
        }

        await Task.WhenAll(
            LabWaits.RunningAsync(Lab.App, "cache", UndoLimit),
            LabWaits.RunningAsync(Lab.App, "db", UndoLimit),
            UntilAsync(() => cacheProxy.Faults.Count == 0, "cache-proxy back to pass-through", UndoLimit));
        Output.WriteLine($"faults undone {sinceKill.ElapsedMilliseconds} ms after kill -9 of the worker");
        Assert.True(sinceKill.Elapsed < UndoLimit, $"undone after {sinceKill.Elapsed}");

        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(2)); // the worker is back by itself, the lab whole
        Assert.NotEqual(pid, await LabWaits.PidAsync(Lab.App, "chaos", TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Stopping_the_worker_mid_fault_rolls_everything_back_and_reports_the_run_interrupted()
    {
        using var worker = Worker();
        var (runId, cacheProxy) = await StartFaultsAsync(worker);

        var sinceStop = Stopwatch.StartNew();
        var stopping = Lab.RunCommandAsync("chaos", KnownResourceCommands.StopCommand); // SIGTERM, as Ctrl-C would
        await Task.WhenAll(
            LabWaits.RunningAsync(Lab.App, "cache", UndoLimit),
            LabWaits.RunningAsync(Lab.App, "db", UndoLimit),
            UntilAsync(() => cacheProxy.Faults.Count == 0, "cache-proxy back to pass-through", UndoLimit));
        Output.WriteLine($"faults rolled back {sinceStop.ElapsedMilliseconds} ms after the worker was told to stop");
        await stopping;

        var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RunsDirectory(), runId, "run.json"))).RootElement;
        Assert.Equal("Interrupted", record.GetProperty("status").GetString(), ignoreCase: true);
        Assert.All(record.GetProperty("faultActions").EnumerateArray().Where(action => action.GetProperty("action").GetString() == "rollback"),
            action => Assert.Equal(JsonValueKind.Null, action.GetProperty("error").ValueKind));

        await Lab.RunCommandAsync("chaos", KnownResourceCommands.StartCommand); // a commanded stop is not a crash: start it
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task The_cli_emergency_stop_ends_the_run_and_undoes_every_fault()
    {
        using var worker = Worker();
        var (runId, cacheProxy) = await StartFaultsAsync(worker);

        // From "another terminal": the command finds this lab through its session file.
        var (exitCode, text) = await AppHostCli.RunAsync(["Chaos:EmergencyStop=true"], Output);

        Assert.True(exitCode == 0, text);
        Assert.Contains("chaos: emergency stop of the lab", text);
        Assert.Empty(cacheProxy.Faults);
        await Task.WhenAll(
            LabWaits.RunningAsync(Lab.App, "cache", UndoLimit),
            LabWaits.RunningAsync(Lab.App, "db", UndoLimit));
        // The lab has undone the faults; the worker may still be finishing its own rollback on a busy machine.
        await UntilAsync(async () => (await worker.GetFromJsonAsync<JsonElement>($"/runs/{runId}")).GetProperty("status").GetString() != "stopping",
            "the run's rollback finished", UndoLimit);
        var view = await worker.GetFromJsonAsync<JsonElement>($"/runs/{runId}");
        Assert.Equal("interrupted", view.GetProperty("status").GetString());
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task A_fault_without_a_live_lease_is_refused_and_nothing_changes()
    {
        using var control = await LabControlAsync();

        using var noLease = await control.PutAsJsonAsync("/proxies/db-proxy/faults", new[] { new { kind = "down" } });
        using var stop = await control.PostAsync("/resources/cache/stop", null);
        using var expired = new HttpRequestMessage(HttpMethod.Post, "/resources/api/kill") { Headers = { { LabControlEndpoints.LeaseHeader, "0000" } } };
        using var staleLease = await control.SendAsync(expired);

        Assert.Equal(HttpStatusCode.PreconditionRequired, noLease.StatusCode);
        Assert.Contains(LabControlEndpoints.LeaseHeader, await noLease.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.PreconditionRequired, stop.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, staleLease.StatusCode);
        Assert.Empty(Lab.App.Services.GetRequiredService<FaultProxies>().Find("db-proxy")!.Faults);
        await Lab.AllHealthyAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Lab_control_reads_what_each_store_uses_counting_every_postgresql_process()
    {
        using var control = await LabControlAsync();

        var db = await control.GetFromJsonAsync<JsonElement>("/resources/db/usage");
        var cache = await control.GetFromJsonAsync<JsonElement>("/resources/cache/usage");
        using var unknown = await control.GetAsync("/resources/disk/usage");

        var postgres = Assert.Single(db.GetProperty("instances").EnumerateArray());
        // The postmaster and its children: background writer, checkpointer, … and a backend per pooled connection.
        Assert.True(postgres.GetProperty("processes").GetInt32() > 5, postgres.ToString());
        Assert.InRange(postgres.GetProperty("memoryShare").GetDouble(), 0.0001, 0.5);
        Assert.InRange(postgres.GetProperty("cpuShare").GetDouble(), 0, 1);
        var redis = Assert.Single(cache.GetProperty("instances").EnumerateArray());
        Assert.True(redis.GetProperty("processes").GetInt32() >= 1, redis.ToString());
        Assert.InRange(redis.GetProperty("memoryShare").GetDouble(), 0.00001, 0.5);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_lease_that_is_not_renewed_expires_and_its_proxy_fault_is_undone()
    {
        using var control = await LabControlAsync();
        using var opened = await control.PostAsJsonAsync("/leases", new { owner = "test", ttlSeconds = 1 });
        var lease = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var inject = new HttpRequestMessage(HttpMethod.Put, "/proxies/db-proxy/faults")
        {
            Headers = { { LabControlEndpoints.LeaseHeader, lease } },
            Content = JsonContent.Create(new[] { new { kind = "latency", latencyMs = 50 } }),
        };
        using var injected = await control.SendAsync(inject);
        Assert.Equal(HttpStatusCode.OK, injected.StatusCode);
        var dbProxy = Lab.App.Services.GetRequiredService<FaultProxies>().Find("db-proxy")!;
        Assert.NotEmpty(dbProxy.Faults);

        await UntilAsync(() => dbProxy.Faults.Count == 0, "db-proxy back to pass-through", UndoLimit);

        using var renew = await control.PutAsync($"/leases/{lease}", null);
        Assert.Equal(HttpStatusCode.NotFound, renew.StatusCode); // the owner learns its faults are gone
    }

    [Fact]
    public async Task A_redeploy_whose_lease_expires_is_redeployed_with_its_own_settings()
    {
        using var control = await LabControlAsync();
        var instance = (await control.GetFromJsonAsync<JsonElement>("/resources/api")).GetProperty("instances")[0].GetProperty("id").GetString()!;
        using var refused = await control.PostAsJsonAsync($"/resources/api/instances/{instance}/redeploy", new { setting = "wrong-password" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("allowed: wrong-postgres-password, broken-redis-connection, pool-size-1, resilience-off", await refused.Content.ReadAsStringAsync());
        using var opened = await control.PostAsJsonAsync("/leases", new { owner = "test", ttlSeconds = 1 });
        var lease = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var redeploy = new HttpRequestMessage(HttpMethod.Post, $"/resources/api/instances/{instance}/redeploy")
        {
            Headers = { { LabControlEndpoints.LeaseHeader, lease } },
            Content = JsonContent.Create(new { setting = "broken-redis-connection" }),
        };

        using var redeployed = await control.SendAsync(redeploy); // returns once restarted; the lease is not renewed

        Assert.Equal(HttpStatusCode.OK, redeployed.StatusCode);
        await UntilAsync(async () => (await control.GetFromJsonAsync<JsonElement[]>("/redeploys"))!.Length == 0, "the redeploy undone", UndoLimit);
        // Restarted with its own settings: no replica answers with the broken one any more.
        await UntilAsync(async () => await NoReplicaMarkedAsync(), "every replica on its own settings", TimeSpan.FromSeconds(60));
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(1));
    }

    private async Task<bool> NoReplicaMarkedAsync()
    {
        for (var probe = 0; probe < 20; probe++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/health") { Headers = { ConnectionClose = true } };
            using var response = await Lab.Api.SendAsync(request);
            if (response.Headers.Contains("X-Chaos-Injected") || !response.IsSuccessStatusCode)
            {
                return false;
            }
        }

        return true;
    }

    [Fact]
    public async Task A_dry_run_plans_every_experiment_within_the_lab_and_injects_nothing()
    {
        using var worker = Worker();
        using var control = await LabControlAsync();
        var allowed = await control.GetFromJsonAsync<string[]>("/targets");

        using var response = await worker.PostAsJsonAsync("/runs", new { experiments = new[] { "all" }, dryRun = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var plans = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plans").EnumerateArray().ToList();
        Assert.Equal(VokeTag.Experiments.ExperimentFolder.Files(Lab.ExperimentsFolder).Count, plans.Count);
        Assert.All(plans.SelectMany(plan => plan.GetProperty("faults").EnumerateArray()),
            fault => Assert.Contains(fault.GetProperty("target").GetString(), allowed!));
        Assert.Contains(plans, plan => plan.GetProperty("injectedAt").GetString()!.Contains("into the impact phase"));
        // Every plan names its guardrails, but all-pods, whose errors are the outage it measures (its file says so).
        Assert.Equal(["all-pods"], plans.Where(plan => plan.GetProperty("guardrails").GetArrayLength() == 0).Select(plan => plan.GetProperty("experiment").GetString()));
        Assert.Empty(await control.GetFromJsonAsync<JsonElement[]>("/leases") ?? []); // no fault exists to hold
        Assert.All(Lab.App.Services.GetRequiredService<FaultProxies>().All, proxy => Assert.Empty(proxy.Faults));
        await Lab.AllHealthyAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("/resources/postgres-prod/stop", "'postgres-prod' is not a resource of this lab")]
    [InlineData("/resources/db/format", "'format' is not a lab command")]
    [InlineData("/resources/10.0.0.5/kill", "'10.0.0.5' is not a resource of this lab")]
    public async Task A_target_outside_the_lab_is_refused_and_nothing_happens(string path, string named)
    {
        using var control = await LabControlAsync();
        using var opened = await control.PostAsJsonAsync("/leases", new { owner = "test", ttlSeconds = 5 });
        var lease = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Headers = { { LabControlEndpoints.LeaseHeader, lease } } };

        using var response = await control.SendAsync(request);
        using var proxy = new HttpRequestMessage(HttpMethod.Put, "/proxies/internet/faults")
        {
            Headers = { { LabControlEndpoints.LeaseHeader, lease } },
            Content = JsonContent.Create(new[] { new { kind = "down" } }),
        };
        using var proxyResponse = await control.SendAsync(proxy);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{response.StatusCode}");
        Assert.Contains(named, await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, proxyResponse.StatusCode);
        Assert.Contains("known: cache-proxy, db-proxy", await proxyResponse.Content.ReadAsStringAsync());
        using var released = await control.DeleteAsync($"/leases/{lease}");
        await Lab.AllHealthyAsync(TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-secret")]
    public async Task The_control_plane_refuses_calls_without_the_secret_and_does_nothing(string? secret)
    {
        var control = Lab.App.Services.GetRequiredService<LabControlServer>();
        using var anonymous = new HttpClient { BaseAddress = await control.AddressAsync(CancellationToken.None) };
        if (secret is not null)
        {
            anonymous.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, secret);
        }

        using var stop = await anonymous.PostAsync("/resources/cache/stop", null);
        using var leases = await anonymous.PostAsJsonAsync("/leases", new { owner = "intruder", ttlSeconds = 5 });
        using var hookRequest = new HttpRequestMessage(HttpMethod.Put, "/chaos/cpu") { Content = JsonContent.Create(new { share = 1, durationSeconds = 60 }) };
        if (secret is not null)
        {
            hookRequest.Headers.Add(LabControlEndpoints.SecretHeader, secret);
        }

        using var hook = await Lab.Api.SendAsync(hookRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, leases.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, hook.StatusCode);
        Assert.Equal("application/problem+json", hook.Content.Headers.ContentType?.MediaType);
        await Lab.AllHealthyAsync(TimeSpan.FromSeconds(30)); // cache still up
    }

    /// <summary>
    /// Starts a multi-failure run with a long impact phase and returns once all its faults are live: a network fault
    /// (blackhole on cache-proxy) and two stopped resources at once.
    /// </summary>
    private async Task<(string RunId, TcpFaultProxy CacheProxy)> StartFaultsAsync(HttpClient worker)
    {
        using var started = await worker.PostAsJsonAsync("/runs", new
        {
            experiments = new[] { "multi-failure" },
            baselineSeconds = 2,
            impactSeconds = 120,
            recoverySeconds = 5,
            sustainSeconds = 1,
        });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runIds")[0].GetString()!;
        await LabWaits.StoppedAsync(Lab.App, "db", TimeSpan.FromMinutes(2)); // the last of its faults
        var cacheProxy = Lab.App.Services.GetRequiredService<FaultProxies>().Find("cache-proxy")!;
        Assert.NotEmpty(cacheProxy.Faults);
        return (runId, cacheProxy);
    }

    private static string RunsDirectory()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(directory.FullName, "VokeTag.Lab.sln")))
        {
            directory = directory.Parent!;
        }

        return Path.Combine(directory.FullName, "runs");
    }

    private async Task<HttpClient> LabControlAsync()
    {
        var server = Lab.App.Services.GetRequiredService<LabControlServer>();
        var client = new HttpClient { BaseAddress = await server.AddressAsync(CancellationToken.None), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, server.Secret);
        return client;
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string description, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!await condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"not {description} within {timeout}");
            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None); // poll interval of a lab that restarts a process
        }
    }

    private static async Task UntilAsync(Func<bool> condition, string description, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!condition())
        {
            Assert.False(deadline.IsCancellationRequested, $"not {description} within {timeout}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None); // poll interval of an in-process flag
        }
    }
}
