using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// A headless run for CI: once the lab is healthy, asks the worker to run the chosen experiments, prints progress
/// and each run's summary, then stops the lab. The AppHost exits 0 only when every hypothesis held, 1 when one
/// failed or a run could not complete (the failing criteria named), 2 when the worker refused the request.
/// </summary>
public sealed class HeadlessRun(
    HeadlessRunSettings settings,
    EndpointReference worker,
    ResourceNotificationService notifications,
    LabControlServer control,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : BackgroundService
{
    public const int AllHeld = 0;
    public const int HypothesisFailed = 1;
    public const int RequestRefused = 2;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            Environment.ExitCode = await RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            Report("interrupted: the lab was stopped before the runs finished (the worker rolled back its faults).");
            Environment.ExitCode = HypothesisFailed;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or JsonException)
        {
            Report($"could not complete: {exception.Message}");
            Environment.ExitCode = HypothesisFailed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    private async Task<int> RunAsync(CancellationToken stoppingToken)
    {
        var started = time.GetTimestamp();
        Report($"waiting for the lab ({string.Join(", ", LabHealth.Resources)}) to be healthy…");
        await LabHealth.WaitAsync(notifications, time, stoppingToken);
        Report($"lab healthy after {time.GetElapsedTime(started).TotalSeconds:0} s; running {Describe(settings.Experiments)}.");

        using var client = new HttpClient { BaseAddress = new Uri(worker.Url), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, control.Secret);
        using var response = await client.PostAsJsonAsync("/runs", settings.RequestBody(), stoppingToken);
        if (!response.IsSuccessStatusCode)
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(stoppingToken);
            Report($"the worker refused the run: {(problem.TryGetProperty("detail", out var detail) ? detail.GetString() : response.StatusCode.ToString())}");
            return RequestRefused;
        }

        if (settings.DryRun)
        {
            var plan = await response.Content.ReadFromJsonAsync<JsonElement>(stoppingToken);
            Console.WriteLine(JsonSerializer.Serialize(plan.GetProperty("plans"), new JsonSerializerOptions { WriteIndented = true }));
            Report($"dry run: {plan.GetProperty("plans").GetArrayLength()} experiment(s) planned, nothing injected.");
            return AllHeld;
        }

        var runIds = (await response.Content.ReadFromJsonAsync<JsonElement>(stoppingToken)).GetProperty("runIds")
            .EnumerateArray().Select(id => id.GetString()!).ToList();
        var failures = new List<string>();
        var reports = "runs/";
        for (var index = 0; index < runIds.Count; index++)
        {
            var run = await WaitForRunAsync(client, runIds[index], $"[{index + 1}/{runIds.Count}]", stoppingToken);
            reports = run.ReportsFolder is { } folder ? Path.GetDirectoryName(folder) + Path.DirectorySeparatorChar : reports;
            if (run.Status != "passed")
            {
                failures.Add($"{run.Experiment} ({run.Status}{(run.FailedCriteria.Count > 0 ? ": " + string.Join(", ", run.FailedCriteria) : "")})");
            }
        }

        Report(failures.Count == 0
            ? $"{runIds.Count} of {runIds.Count} experiments held. Reports: {reports}"
            : $"{runIds.Count - failures.Count} of {runIds.Count} experiments held. Failed: {string.Join("; ", failures)}. Reports: {reports}");
        return failures.Count == 0 ? AllHeld : HypothesisFailed;
    }

    private async Task<RunOutcome> WaitForRunAsync(HttpClient client, string runId, string position, CancellationToken stoppingToken)
    {
        string? reported = null;
        while (true)
        {
            var view = await client.GetFromJsonAsync<JsonElement>($"/runs/{Uri.EscapeDataString(runId)}", stoppingToken);
            var status = view.GetProperty("status").GetString()!;
            var experiment = view.GetProperty("experiment").GetString()!;
            if (status != reported)
            {
                Report($"{position} {experiment}: {status}");
                reported = status;
            }

            if (status is not ("queued" or "running" or "stopping"))
            {
                await PrintSummaryAsync(view, stoppingToken);
                var failed = view.TryGetProperty("record", out var record) && record.ValueKind == JsonValueKind.Object
                    && record.GetProperty("criteria") is { ValueKind: JsonValueKind.Array } criteria
                    ? criteria.EnumerateArray().Where(criterion => !criterion.GetProperty("passed").GetBoolean())
                        .Select(criterion => criterion.GetProperty("name").GetString()!).ToList()
                    : [];
                return new RunOutcome(experiment, status, failed, view.GetProperty("reportsFolder").GetString());
            }

            await Task.Delay(PollInterval, time, stoppingToken);
        }
    }

    private static async Task PrintSummaryAsync(JsonElement view, CancellationToken cancellationToken)
    {
        if (view.GetProperty("reportsFolder").GetString() is { } folder && File.Exists(Path.Combine(folder, "summary.txt")))
        {
            Console.WriteLine();
            Console.WriteLine(await File.ReadAllTextAsync(Path.Combine(folder, "summary.txt"), cancellationToken));
            if (File.Exists(Path.Combine(folder, "journal.json")))
            {
                Report($"Chaos Toolkit journal: {Path.Combine(folder, "journal.json")}");
            }
        }
    }

    /// <summary>The experiments to run, each named once with how often it runs (a benchmark repeats them).</summary>
    private static string Describe(IReadOnlyList<string> experiments) => string.Join(", ", experiments
        .GroupBy(name => name)
        .Select(runs => runs.Count() == 1 ? runs.Key : $"{runs.Key} ×{runs.Count()}"));

    private static void Report(string message) => Console.WriteLine($"chaos: {message}");

    private sealed record RunOutcome(string Experiment, string Status, IReadOnlyList<string> FailedCriteria, string? ReportsFolder);
}

public static class HeadlessRunExtensions
{
    /// <summary>With <paramref name="settings"/>, the AppHost runs the experiments once and exits with the verdict.</summary>
    public static IResourceBuilder<ProjectResource> WithHeadlessRun(this IResourceBuilder<ProjectResource> chaos, HeadlessRunSettings? settings)
    {
        if (settings is not null)
        {
            var worker = chaos.GetEndpoint("http");
            if (settings.ProcessToken is { } token)
            {
                chaos.WithEnvironment("Chaos__ProcessToken", token);
            }

            chaos.ApplicationBuilder.Services.TryAddSingleton(TimeProvider.System);
            chaos.ApplicationBuilder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<HeadlessRun>(provider, settings, worker));
        }

        return chaos;
    }
}
