using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using VokeTag.AppHost.LabControl;
using VokeTag.AppHost.Tests.Integration;

namespace VokeTag.AppHost.Tests.Browser;

/// <summary>
/// The lab as a user starts it (<c>dotnet run --project VokeTag.AppHost</c>, process mode), with its dashboard: what a
/// browser test needs is what a person has — the dashboard's login URL from the terminal, and the lab's session file
/// (control address and secret) to reach the worker the way the dashboard's commands do. Its runs go to a folder of
/// its own.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed partial class UserLab : IAsyncLifetime
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(4);
    private static readonly string[] LabResources = ["cache", "db", "api", "chaos"];

    private readonly ConcurrentQueue<string> _said = new();
    private Process? _process;

    public string RunsDirectory { get; } = Directory.CreateTempSubdirectory("voketag-browser-runs-").FullName;

    public string LoginUrl { get; private set; } = "";

    public LabSession Session { get; private set; } = null!;

    /// <summary>The worker's address, e.g. <c>http://127.0.0.1:5190</c>.</summary>
    public Uri Worker { get; private set; } = null!;

    /// <summary>The worker's control API with the lab's secret, as the dashboard's commands call it.</summary>
    public HttpClient WorkerClient()
    {
        var client = new HttpClient { BaseAddress = Worker, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, Session.Secret);
        return client;
    }

    /// <summary>
    /// What the dashboard logged in the terminal as failing: each <c>fail: Aspire.Hosting.Dashboard…</c> line with the
    /// exception lines under it (a Blazor circuit that died shows as "An unhandled error has occurred" in the page).
    /// </summary>
    public IReadOnlyList<string> DashboardFailures()
    {
        var failures = new List<string>();
        var inFailure = false;
        foreach (var line in _said)
        {
            if (line.StartsWith("fail: Aspire.Hosting.Dashboard", StringComparison.Ordinal))
            {
                inFailure = true;
            }
            else if (inFailure && !line.StartsWith(' '))
            {
                inFailure = false;
            }

            if (inFailure)
            {
                failures.Add(line);
            }
        }

        return failures;
    }

    public async Task InitializeAsync()
    {
        await LabSessions.FixedPortsFreeAsync();
        var before = LabSessions.SessionFiles();
        _process = AppHostCli.Start([$"Chaos:RunsDirectory={RunsDirectory}"]);
        _process.OutputDataReceived += (_, line) => _said.Enqueue(line.Data ?? "");
        _process.ErrorDataReceived += (_, line) => _said.Enqueue(line.Data ?? "");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var limit = new CancellationTokenSource(StartLimit);
        try
        {
            Session = await LabSessions.NewSessionAsync(before, _process);
            LoginUrl = await LoginUrlAsync(limit.Token);
            using var control = new HttpClient { BaseAddress = Session.ControlUrl };
            control.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, Session.Secret);
            await HealthyAsync(control, limit.Token);
            var connections = await control.GetFromJsonAsync<JsonElement>("/connections", limit.Token);
            Worker = new Uri(connections.GetProperty("endpoints").GetProperty("chaos").GetProperty("http").GetString()!);
        }
        catch (Exception exception) when (exception is OperationCanceledException or Xunit.Sdk.XunitException or HttpRequestException)
        {
            throw new InvalidOperationException($"The lab did not start for the browser tests ({exception.Message}); it said:\n{string.Join("\n", _said.TakeLast(40))}", exception);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            if (Session is not null)
            {
                LabSessions.Kill(Session.Pid, LabSessions.Signal.Terminate); // as Ctrl-C in its terminal
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
        }

        Directory.Delete(RunsDirectory, recursive: true);
    }

    /// <summary>Aspire prints it once the dashboard listens: "Login to the dashboard at http://localhost:15080/login?t=…".</summary>
    private async Task<string> LoginUrlAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_said.Select(line => LoginLine().Match(line)).FirstOrDefault(match => match.Success) is { } found)
            {
                return found.Groups["url"].Value;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken); // poll the terminal while the dashboard starts
        }
    }

    private static async Task HealthyAsync(HttpClient control, CancellationToken cancellationToken)
    {
        foreach (var resource in LabResources)
        {
            while (!await HealthyAsync(control, resource, cancellationToken))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken); // poll while the lab starts
            }
        }
    }

    private static async Task<bool> HealthyAsync(HttpClient control, string resource, CancellationToken cancellationToken)
    {
        var state = await control.GetFromJsonAsync<JsonElement>($"/resources/{resource}", cancellationToken);
        var instances = state.GetProperty("instances").EnumerateArray().ToList();
        return instances.Count > 0 && instances.All(instance => instance.GetProperty("health").GetString() == "Healthy");
    }

    [GeneratedRegex(@"Login to the dashboard at (?<url>http://\S+/login\?t=[0-9a-f]+)")]
    private static partial Regex LoginLine();
}
