using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Reads, once a second for a whole run, the API's <c>/diagnostics</c> (circuits, CPU, memory, pool) and — when there is a
/// lab control — what the lab's processes use, into a <see cref="TimelineRecorder"/>. The impact phase's watchers keep
/// their own faster polls for guardrails and peaks; this one is for the report's charts.
/// </summary>
public sealed class TimelineSampler(ApiDiagnosticsProbe diagnostics, LabControlClient lab, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>api replicas, cache and db, as lab control measures them.</summary>
    public static readonly string[] LabProcesses = ["api", "cache", "db"];

    /// <param name="readLab">False in measure-only mode: there is no lab control to ask.</param>
    public async Task RunAsync(TimelineRecorder recorder, bool readLab, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            var at = time.GetUtcNow();
            var stores = readLab ? LabProcesses.Select(resource => ReadUsageAsync(recorder, at, resource, cancellationToken)) : [];
            await Task.WhenAll([.. stores, ReadDiagnosticsAsync(recorder, at, cancellationToken)]);
        }
        while (await Tick(timer, cancellationToken));
    }

    private async Task ReadDiagnosticsAsync(TimelineRecorder recorder, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await diagnostics.ReadAsync(cancellationToken) is { } reading)
        {
            recorder.Add(at, reading);
        }
    }

    private async Task ReadUsageAsync(TimelineRecorder recorder, DateTimeOffset at, string resource, CancellationToken cancellationToken)
    {
        try
        {
            recorder.Add(at, resource, await lab.GetUsageAsync(resource, cancellationToken));
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
            or OperationCanceledException)
        {
            // Lab control busy or the resource restarting: this second has no reading of it.
        }
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
