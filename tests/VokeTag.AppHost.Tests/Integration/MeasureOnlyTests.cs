using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The worker's measure-only mode (<c>Chaos:Target</c>), as a cluster's Job runs it: its own process, no lab control
/// for faults, the faults injected by someone else — here the test itself, through lab control, while a loopback stub
/// of the Kubernetes API says what Litmus would. It must pass and fail as the lab's own runs do.
/// </summary>
public sealed partial class ExperimentTests
{
    private const string MeasuredFile = """
        name: cache-outage-measured
        title: Cache outage, measured only
        description: The cache's path is cut by someone else; verifications fall back to PostgreSQL.
        hypothesis: When the cache cannot be reached, verifications fall back to PostgreSQL and still answer.
        faults:
          - kind: down
            target: cache-proxy
        criteria:
          - name: fallback-share
            statement: Verifications fall back to the database
            metric: fallback-share
            phase: impact
            comparison: ">"
            threshold: 80%
          - name: error-rate
            statement: Few errors while the cache is out
            metric: error-rate
            phase: impact
            comparison: "<"
            threshold: 10%
        # The engine's fault is not the worker's to stop: a guardrail would only stop the measuring.
        guardrails: []
        """;

    [Theory]
    [InlineData(new[] { "cache-proxy" }, 0, "Pass")]
    [InlineData(new[] { "cache-proxy", "db-proxy" }, 1, "Fail")] // the database's path cut too: nothing to fall back to
    public async Task Measure_only_mode_judges_faults_it_did_not_inject_and_records_the_engines_verdict(string[] cut, int exitCode, string engineVerdict)
    {
        using var kubernetes = new KubernetesStub();
        var folder = Directory.CreateTempSubdirectory("voketag-measure-only-");
        await File.WriteAllTextAsync(Path.Combine(folder.FullName, "cache-outage-measured.yaml"), MeasuredFile);
        using var worker = await StartMeasureOnlyWorkerAsync(kubernetes.Address, folder.FullName);

        await worker.WaitForAsync("waiting for litmus to inject", TimeSpan.FromMinutes(2));
        using var control = await LabControlAsync();
        var lease = await OpenLeaseAsync(control);
        try
        {
            foreach (var proxy in cut)
            {
                using var request = new HttpRequestMessage(HttpMethod.Put, $"/proxies/{proxy}/faults")
                {
                    Content = JsonContent.Create(new[] { new { kind = "down" } }),
                    Headers = { { LabControlEndpoints.LeaseHeader, lease } },
                };
                (await control.SendAsync(request)).EnsureSuccessStatusCode();
            }

            kubernetes.Result("cache-outage-measured-pod-delete", "Running", "Awaited");
            await worker.WaitForAsync("waiting for litmus to recover", TimeSpan.FromMinutes(1));
        }
        finally
        {
            // The engine's rollback, played by the test: the proxies pass through again, then the lease goes.
            foreach (var proxy in cut)
            {
                (await control.DeleteAsync($"/proxies/{proxy}/faults")).EnsureSuccessStatusCode();
            }

            (await control.DeleteAsync($"/leases/{lease}")).EnsureSuccessStatusCode();
        }

        kubernetes.Result("cache-outage-measured-pod-delete", "Completed", engineVerdict);
        var exited = await worker.ExitAsync(TimeSpan.FromMinutes(2));

        var summary = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(folder.FullName, "runs"), "summary.txt", SearchOption.AllDirectories).Single());
        Output.WriteLine(summary);
        Assert.True(exited == exitCode, worker.Text);
        Assert.Contains($"Measure-only: faults injected by litmus, not the lab; its verdict: {engineVerdict}", summary);
        Assert.Contains(exitCode == 0 ? "VERDICT: PASSED" : "FAIL: Verifications fall back to the database", summary);
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(1));
    }

    private async Task<WorkerProcess> StartMeasureOnlyWorkerAsync(Uri kubernetes, string folder)
    {
        var checkout = VokeTag.Experiments.ExperimentFolder.Find(null, AppContext.BaseDirectory);
        var dll = Path.Combine(Path.GetDirectoryName(checkout)!, "VokeTag.ChaosWorker", "bin", "Debug", "net10.0", "VokeTag.ChaosWorker.dll");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Chaos__Target"] = Lab.Api.BaseAddress!.ToString(),
                ["Chaos__Run"] = "cache-outage-measured",
                ["Chaos__Engine"] = "litmus",
                ["Chaos__KubernetesHost"] = kubernetes.ToString(),
                ["Chaos__Experiments"] = folder,
                ["Chaos__RunsDirectory"] = Path.Combine(folder, "runs"),
                ["Chaos__BaselineSeconds"] = "3",
                ["Chaos__ImpactSeconds"] = "6",
                ["Chaos__RecoverySeconds"] = "12",
                ["Chaos__SustainSeconds"] = "2",
                ["ConnectionStrings__voketag"] = await Lab.App.GetConnectionStringAsync("voketag"),
                ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            },
        };
        return new WorkerProcess(Process.Start(start)!);
    }

    private static async Task<string> OpenLeaseAsync(HttpClient control)
    {
        using var opened = await control.PostAsJsonAsync("/leases", new { owner = "measure-only test", ttlSeconds = 30 });
        opened.EnsureSuccessStatusCode();
        return (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>The worker as a process of its own, its output kept so the test can wait for a line.</summary>
    private sealed class WorkerProcess : IDisposable
    {
        private readonly Process _process;
        private readonly ConcurrentQueue<string> _lines = new();

        public WorkerProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, line) => _lines.Enqueue(line.Data ?? "");
            _process.ErrorDataReceived += (_, line) => _lines.Enqueue(line.Data ?? "");
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
        }

        public string Text => string.Join(Environment.NewLine, _lines);

        public async Task WaitForAsync(string text, TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            while (!_lines.Any(line => line.Contains(text, StringComparison.Ordinal)))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The worker exited ({_process.ExitCode}) before saying '{text}': {Text}");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token); // polling its output
            }
        }

        public async Task<int> ExitAsync(TimeSpan timeout)
        {
            using var deadline = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(deadline.Token);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }
    }

    /// <summary>The Kubernetes API as measure-only mode reads it: Litmus's ChaosResults in voketag, as the test sets them.</summary>
    private sealed class KubernetesStub : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, JsonObject> _results = new();

        public KubernetesStub()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Address = new Uri($"http://127.0.0.1:{port}/");
            _listener.Prefixes.Add(Address.ToString());
            _listener.Start();
            _ = ServeAsync();
        }

        public Uri Address { get; }

        public void Result(string name, string phase, string verdict) => _results[name] = new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "voketag" },
            ["status"] = new JsonObject { ["experimentStatus"] = new JsonObject { ["phase"] = phase, ["verdict"] = verdict } },
        };

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                var found = context.Request.Url!.AbsolutePath == "/apis/litmuschaos.io/v1alpha1/namespaces/voketag/chaosresults";
                var body = found
                    ? new JsonObject { ["kind"] = "ChaosResultList", ["items"] = new JsonArray([.. _results.Values.Select(result => result.DeepClone())]) }.ToJsonString()
                    : """{"kind":"Status","status":"Failure","code":404}""";
                context.Response.StatusCode = found ? 200 : 404;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(body));
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
