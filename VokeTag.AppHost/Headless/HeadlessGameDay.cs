using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// A game day started from the command line (<c>Chaos:GameDay=…</c>): once the lab is healthy, asks the worker to start
/// it, says how to play, prints the timeline as it happens, each round's score and the totals, then stops the lab.
/// Unlike a headless run, the lab and its dashboard stay up meanwhile: people play. Exit 0 when the game day ended,
/// 1 when it was stopped or could not be followed, 2 when the worker refused it.
/// </summary>
public sealed class HeadlessGameDay(
    GameDaySettings settings,
    EndpointReference worker,
    IConfiguration configuration,
    ResourceNotificationService notifications,
    LabControlServer control,
    IHostApplicationLifetime lifetime,
    TimeProvider time) : BackgroundService
{
    public const int Ended = 0;
    public const int StoppedOrFailed = 1;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReportTimeout = TimeSpan.FromMinutes(2); // hidden rounds' run reports are written at the reveal
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20); // within the host's shutdown budget

    private readonly GameDayProgress _progress = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add(LabControlEndpoints.SecretHeader, control.Secret);
        try
        {
            Report($"waiting for the lab ({string.Join(", ", LabHealth.Resources)}) to be healthy…");
            await LabHealth.WaitAsync(notifications, time, stoppingToken);
            client.BaseAddress = new Uri(worker.Url);
            if (await StartAsync(client, stoppingToken) is not { } gameDayId)
            {
                Environment.ExitCode = HeadlessRun.RequestRefused;
                return;
            }

            Environment.ExitCode = await FollowAsync(client, gameDayId, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (client.BaseAddress is not null) // the start may have reached the worker
            {
                await StopGameDayAsync(client);
            }
            else
            {
                Report("interrupted before the game day started; nothing was injected.");
            }

            Environment.ExitCode = StoppedOrFailed;
        }
        catch (Exception exception) when (exception is HttpRequestException or TimeoutException or JsonException or OperationCanceledException)
        {
            // OperationCanceledException here is the HttpClient's timeout: the worker stopped answering.
            Report($"could not follow the game day: {exception.Message}");
            Environment.ExitCode = StoppedOrFailed;
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    /// <returns>The game day's id, or null when the worker refused (the reason printed).</returns>
    private async Task<string?> StartAsync(HttpClient client, CancellationToken stoppingToken)
    {
        using var response = await client.PostAsJsonAsync("/gamedays", settings.RequestBody(), stoppingToken);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>(stoppingToken);
        if (!response.IsSuccessStatusCode)
        {
            Report($"the worker refused the game day: {(answer.TryGetProperty("detail", out var detail) ? detail.GetString() : response.StatusCode.ToString())}");
            return null;
        }

        var gameDayId = answer.GetProperty("gameDayId").GetString()!;
        Report($"game day {gameDayId} started: {settings.Rounds} round(s), the scenario {(settings.Hidden ? "hidden until the end" : "shown")}, " +
            $"{settings.RoundLimitSeconds:0} s per round.");
        var vocabulary = await client.GetFromJsonAsync<GameDayVocabulary>("/gamedays/options", JsonSerializerOptions.Web, stoppingToken);
        foreach (var line in GameDayHowToPlay.Lines(ChaosReports.DashboardUrl(configuration), worker.Url, control.Secret, vocabulary!))
        {
            Report(line);
        }

        return gameDayId;
    }

    private async Task<int> FollowAsync(HttpClient client, string gameDayId, CancellationToken stoppingToken)
    {
        var path = $"/gamedays/{Uri.EscapeDataString(gameDayId)}";
        var view = await PollAsync(client, path, stoppingToken);
        while (view.GetProperty("status").GetString() is "running" or "revealing") // revealing: the worker is writing the reports
        {
            await Task.Delay(PollInterval, time, stoppingToken);
            view = await PollAsync(client, path, stoppingToken);
        }

        view = await WaitForReportAsync(client, path, view, stoppingToken);
        foreach (var line in GameDayProgress.Totals(view))
        {
            Report(line);
        }

        Report(view.GetProperty("report").GetString() is { } report
            ? $"game day report: {report}"
            : $"the worker wrote no gameday.html within {ReportTimeout.TotalMinutes:0} min; see the chaos resource's log.");
        Report("stopping the lab.");
        return view.GetProperty("status").GetString() == "ended" ? Ended : StoppedOrFailed;
    }

    /// <summary>The game day's last state, with its gameday.html written: the worker reveals first, then writes the reports.</summary>
    private async Task<JsonElement> WaitForReportAsync(HttpClient client, string path, JsonElement view, CancellationToken stoppingToken)
    {
        var waited = time.GetTimestamp();
        while (!(view.GetProperty("report").GetString() is { } report && File.Exists(report)) && time.GetElapsedTime(waited) < ReportTimeout)
        {
            await Task.Delay(PollInterval, time, stoppingToken);
            view = await PollAsync(client, path, stoppingToken);
        }

        return view;
    }

    private async Task<JsonElement> PollAsync(HttpClient client, string path, CancellationToken stoppingToken)
    {
        var view = await client.GetFromJsonAsync<JsonElement>(path, stoppingToken);
        foreach (var line in _progress.Update(view))
        {
            Report(line);
        }

        return view;
    }

    /// <summary>Ctrl-C or SIGTERM: the worker stops the game day, rolls the fault back and writes what was played.</summary>
    private async Task StopGameDayAsync(HttpClient client)
    {
        Report("interrupted: stopping the game day…");
        using var timeout = new CancellationTokenSource(StopTimeout, time);
        try
        {
            using var response = await client.PostAsync("/gamedays/current/stop", null, timeout.Token);
            var answer = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
            Report(response.StatusCode switch
            {
                HttpStatusCode.OK => $"game day stopped; the fault was rolled back. Report: {(answer.TryGetProperty("report", out var report) ? report.GetString() : null) ?? "none written"}",
                HttpStatusCode.Conflict => "no game day was being played: nothing to stop.",
                var status => $"the worker did not stop the game day ({(int)status}); it rolls its faults back as it shuts down.",
            });
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or JsonException)
        {
            Report($"the worker did not confirm the stop ({exception.Message}); it rolls its faults back as it shuts down.");
        }
    }

    private static void Report(string message) => Console.WriteLine($"chaos: {message}");
}

public static class HeadlessGameDayExtensions
{
    /// <summary>With <paramref name="settings"/>, the AppHost starts a game day once the lab is healthy and exits when it ends.</summary>
    public static IResourceBuilder<ProjectResource> WithHeadlessGameDay(this IResourceBuilder<ProjectResource> chaos, GameDaySettings? settings)
    {
        if (settings is not null)
        {
            var worker = chaos.GetEndpoint("http");
            chaos.ApplicationBuilder.Services.TryAddSingleton(TimeProvider.System);
            chaos.ApplicationBuilder.Services.AddHostedService(provider => ActivatorUtilities.CreateInstance<HeadlessGameDay>(provider, settings, worker));
        }

        return chaos;
    }
}
