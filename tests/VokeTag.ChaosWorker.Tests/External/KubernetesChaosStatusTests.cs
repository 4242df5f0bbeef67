using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VokeTag.ChaosWorker.External;

namespace VokeTag.ChaosWorker.Tests.External;

/// <summary>
/// Measure-only mode's reading of a chaos engine, against a loopback stub of the Kubernetes API serving resources in
/// the shape of the engines' CRDs (Litmus ChaosResult <c>status.experimentStatus</c>, Chaos Mesh <c>status.conditions</c>):
/// no cluster runs here, so this is all it is tested against.
/// </summary>
public sealed class KubernetesChaosStatusTests : IAsyncLifetime
{
    private readonly Dictionary<string, JsonArray> _lists = new();
    private WebApplication _server = null!;
    private string _host = null!;

    public async Task InitializeAsync()
    {
        (_server, var address) = await LoopbackServer.StartAsync(server => server.MapGet("/apis/{group}/v1alpha1/namespaces/voketag/{plural}",
            (string group, string plural, HttpContext context) =>
            {
                var selector = context.Request.Query["labelSelector"].ToString();
                var items = (_lists.GetValueOrDefault($"{group}/{plural}") ?? []).Where(item => selector.Length == 0
                    || item!["metadata"]!["labels"]?[selector.Split('=')[0]]?.ToString() == selector.Split('=')[1]);
                return Results.Text(new JsonObject { ["kind"] = "List", ["items"] = new JsonArray([.. items.Select(item => item!.DeepClone())]) }.ToJsonString(), "application/json");
            }));
        _host = address.ToString();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Litmus_is_live_while_a_chaos_result_runs_and_its_verdict_is_read_when_it_completes()
    {
        var engine = KubernetesChaosStatus.Create("litmus", "voketag", _host);
        var none = await engine.ReadAsync("redis-failure", CancellationToken.None);

        Result("redis-failure-pod-delete", "Running", "Awaited");
        Result("database-failure-pod-delete", "Completed", "Fail"); // another experiment's
        var running = await engine.ReadAsync("redis-failure", CancellationToken.None);
        Result("redis-failure-pod-delete", "Completed", "Pass");
        var completed = await engine.ReadAsync("redis-failure", CancellationToken.None);

        Assert.Equal((false, false, false), (none.Found, none.Active, none.Ended));
        Assert.Equal((true, true, false, "Awaited"), (running.Found, running.Active, running.Ended, running.Verdict));
        Assert.Equal((true, false, true, "Pass"), (completed.Found, completed.Active, completed.Ended, completed.Verdict));
        Assert.Equal("ChaosResult redis-failure-pod-delete: phase Completed, verdict Pass", completed.Detail);
    }

    [Fact]
    public async Task Chaos_mesh_is_live_between_all_injected_and_all_recovered_and_has_no_verdict()
    {
        var engine = KubernetesChaosStatus.Create("chaos-mesh", "voketag", _host);

        Chaos("podchaos", "redis-failure", injected: true, recovered: false);
        var live = await engine.ReadAsync("redis-failure", CancellationToken.None);
        Chaos("podchaos", "redis-failure", injected: true, recovered: true);
        var recovered = await engine.ReadAsync("redis-failure", CancellationToken.None);
        var other = await engine.ReadAsync("pod-failure", CancellationToken.None);

        Assert.Equal((true, true, false), (live.Found, live.Active, live.Ended));
        Assert.Equal((true, false, true, (string?)null), (recovered.Found, recovered.Active, recovered.Ended, recovered.Verdict));
        Assert.False(other.Found);
    }

    [Fact]
    public async Task Waiting_for_an_engine_that_never_injects_times_out_saying_what_it_last_read()
    {
        var engine = KubernetesChaosStatus.Create("litmus", "voketag", _host);
        Result("redis-failure-pod-delete", "Initialized", "Awaited");

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            engine.UntilAsync("redis-failure", state => state.Active, "a live fault", TimeSpan.FromSeconds(1), TimeProvider.System, CancellationToken.None));

        Assert.Equal("litmus did not report a live fault for redis-failure within 1 s; it last said: ChaosResult redis-failure-pod-delete: phase Initialized, verdict Awaited", timeout.Message);
    }

    private void Result(string name, string phase, string verdict) => Put("litmuschaos.io/chaosresults", name, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "voketag" },
        ["status"] = new JsonObject { ["experimentStatus"] = new JsonObject { ["phase"] = phase, ["verdict"] = verdict } },
    });

    private void Chaos(string plural, string experiment, bool injected, bool recovered) => Put($"chaos-mesh.org/{plural}", experiment, new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = experiment, ["labels"] = new JsonObject { [KubernetesChaosStatus.ExperimentLabel] = experiment } },
        ["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                new JsonObject { ["type"] = "AllInjected", ["status"] = injected ? "True" : "False" },
                new JsonObject { ["type"] = "AllRecovered", ["status"] = recovered ? "True" : "False" }),
        },
    });

    private void Put(string list, string name, JsonObject item)
    {
        var items = _lists.TryGetValue(list, out var existing) ? existing : _lists[list] = [];
        foreach (var old in items.Where(old => old!["metadata"]!["name"]!.ToString() == name).ToList())
        {
            items.Remove(old);
        }

        items.Add(item);
    }
}
