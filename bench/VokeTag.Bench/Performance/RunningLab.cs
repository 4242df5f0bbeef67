using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace VokeTag.Bench.Performance;

/// <summary>
/// A lab started for a benchmark (<c>dotnet run --project VokeTag.AppHost</c>, no experiment), found through its
/// session file, reached through its lab control with the per-start secret, and stopped with SIGTERM at the end (its
/// leases undo any fault left behind).
/// </summary>
public sealed class RunningLab : IAsyncDisposable
{
    private static readonly string SessionsDirectory = Path.Combine(Path.GetTempPath(), "voketag-lab", "sessions");
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Task _output;

    private RunningLab(Process process, StreamWriter log, Task output, LabSession session, HttpClient control, LabConnections connections)
    {
        (_process, _log, _output) = (process, log, output);
        (Session, Control, Connections) = (session, control, connections);
    }

    public LabSession Session { get; }

    /// <summary>The lab control, with the secret set: leases, proxy faults, resources.</summary>
    public HttpClient Control { get; }

    public LabConnections Connections { get; }

    /// <summary>CPU time the AppHost (and so its fault proxies) has used so far.</summary>
    public TimeSpan AppHostCpu => ProcessCpu.Of(Session.Pid);

    public static async Task<RunningLab> StartAsync(string repository, IEnumerable<string> settings, string logFile, TextWriter console)
    {
        if (FindSessions().FirstOrDefault() is { } other)
        {
            throw new BenchUsageException($"a lab is already running (AppHost pid {other.Pid}); stop it first, the lab's ports are single-instance.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(repository, "VokeTag.AppHost"), "--no-build", "--" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository,
        };
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        var log = new StreamWriter(logFile) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var output = Task.WhenAll(Copy(process.StandardOutput, log), Copy(process.StandardError, log));
        console.WriteLine($"performance: starting the lab ({string.Join(' ', start.ArgumentList.Skip(5))}); log {logFile}");
        try
        {
            using var limit = new CancellationTokenSource(StartLimit);
            var session = await WaitForSessionAsync(process, limit.Token);
            var control = new HttpClient { BaseAddress = session.ControlUrl, Timeout = TimeSpan.FromSeconds(30) };
            control.DefaultRequestHeaders.Add("X-Lab-Secret", session.Secret);
            await WaitUntilHealthyAsync(control, process, limit.Token, "cache", "db", "api", "cache-proxy", "db-proxy");
            var connections = LabConnections.From(await control.GetFromJsonAsync<JsonElement>("/connections", limit.Token));
            console.WriteLine($"performance: lab healthy (AppHost pid {session.Pid}).");
            return new RunningLab(process, log, output, session, control, connections);
        }
        catch
        {
            await LabProcess.StopAsync(process);
            await output;
            await log.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Control.Dispose();
        await LabProcess.StopAsync(_process);
        await _output;
        await _log.DisposeAsync();
        _process.Dispose();
    }

    private static async Task<LabSession> WaitForSessionAsync(Process process, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the lab exited with {process.ExitCode} before it was up; see its log.");
            }

            if (FindSessions().FirstOrDefault() is { } session)
            {
                return session;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    private static async Task WaitUntilHealthyAsync(HttpClient control, Process process, CancellationToken cancellationToken, params string[] resources)
    {
        foreach (var resource in resources)
        {
            while (!await IsHealthyAsync(control, resource, cancellationToken))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"the lab exited with {process.ExitCode} before {resource} was healthy; see its log.");
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cancellationToken);
            }
        }
    }

    private static async Task<bool> IsHealthyAsync(HttpClient control, string resource, CancellationToken cancellationToken)
    {
        try
        {
            var state = await control.GetFromJsonAsync<JsonElement>($"/resources/{resource}", cancellationToken);
            var instances = state.GetProperty("instances").EnumerateArray().ToList();
            return instances.Count > 0 && instances.All(instance =>
                instance.GetProperty("state").GetString() == "Running" && instance.GetProperty("health").GetString() is null or "Healthy");
        }
        catch (HttpRequestException)
        {
            return false; // the lab control is not listening yet
        }
    }

    private static IEnumerable<LabSession> FindSessions() =>
        Directory.Exists(SessionsDirectory)
            ? Directory.EnumerateFiles(SessionsDirectory, "*.json")
                .Select(file => JsonSerializer.Deserialize<LabSession>(File.ReadAllText(file))!)
                .Where(session => ProcessCpu.IsAlive(session.Pid))
            : [];

    private static async Task Copy(StreamReader reader, StreamWriter log)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }
        }
    }

    /// <summary>The session file a running AppHost writes (see the AppHost's LabSessionFile).</summary>
    public sealed record LabSession(int Pid, DateTimeOffset StartedAt, string SessionId, Uri ControlUrl, string Secret, string? DashboardUrl);
}
