using System.Collections.Concurrent;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Guardrails;

/// <summary>
/// Watches a run while its faults are live: every completed request goes through <see cref="Observe"/> and every API
/// replica's reading of itself through <see cref="ObserveReplica"/>, and twice a second the last <see cref="Window"/>
/// of them is checked against the guardrails; once a second the lab's resources that the experiment does not target
/// are checked to still run. The first crossing trips <see cref="Tripped"/>.
/// </summary>
public sealed class GuardrailMonitor(
    IReadOnlyList<Guardrail> guardrails,
    IReadOnlyCollection<string> watchedResources,
    LabControlClient lab,
    TimeProvider time,
    GuardrailExemptions? exemptions = null) : IDisposable
{
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    /// <summary>A window with fewer answers than this says too little to stop a run on.</summary>
    public const int MinimumSamples = 10;

    public const string LabHealthName = "guard-lab-resources";

    private static readonly TimeSpan CheckInterval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentQueue<(long CompletedAt, LoadSample Sample)> _recent = new();
    private readonly ConcurrentQueue<LoadSample> _observed = new();
    private readonly ConcurrentQueue<(long ReadAt, Diagnostics Reading)> _replicas = new();
    private readonly CancellationTokenSource _tripped = new();
    private readonly long _started = time.GetTimestamp();

    public GuardrailTrip? Trip { get; private set; }

    /// <summary>Cancelled when a guardrail fires.</summary>
    public CancellationToken Tripped => _tripped.Token;

    public IReadOnlyList<Guardrail> Guardrails => guardrails;

    /// <summary>Every sample observed so far: the figures of the moment a guardrail fired.</summary>
    public IReadOnlyCollection<LoadSample> Observed => [.. _observed];

    /// <summary>How long the monitor has been watching.</summary>
    public TimeSpan Watched => time.GetElapsedTime(_started);

    public void Observe(LoadSample sample)
    {
        _recent.Enqueue((time.GetTimestamp(), sample));
        _observed.Enqueue(sample);
    }

    public void ObserveReplica(Diagnostics reading) => _replicas.Enqueue((time.GetTimestamp(), reading));

    /// <summary>Checks until <paramref name="cancellationToken"/> ends the watch or a guardrail fires.</summary>
    public async Task WatchAsync(CancellationToken cancellationToken)
    {
        var checks = 0;
        try
        {
            while (!_tripped.IsCancellationRequested)
            {
                await Task.Delay(CheckInterval, time, cancellationToken);
                CheckLoad();
                CheckReplicas();
                if (++checks % 2 == 0 && watchedResources.Count > 0)
                {
                    await CheckLabAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public void Dispose() => _tripped.Dispose();

    /// <summary>One check of the load guardrails over the window; <see cref="WatchAsync"/> runs it twice a second.</summary>
    public void CheckLoad()
    {
        var now = time.GetTimestamp();
        while (_recent.TryPeek(out var oldest) && time.GetElapsedTime(oldest.CompletedAt, now) > Window)
        {
            _recent.TryDequeue(out _);
        }

        // Only a full window counts: the first seconds after the inject are judged with the seconds that follow.
        if (time.GetElapsedTime(_started) < Window || _recent.Count < MinimumSamples || exemptions?.AnyOpen == true)
        {
            return;
        }

        var window = PhaseStatistics.From([.. _recent.Select(entry => entry.Sample)], Window);
        if (guardrails.FirstOrDefault(guardrail => guardrail.IsCrossedBy(window)) is { } crossed)
        {
            Fire(crossed.Name, crossed.Describe(window));
        }
    }

    /// <summary>
    /// One check of the guardrails on the replicas' own readings over the window. A reading already spans a second (CPU)
    /// or is a state (memory, requests waiting), so one reading above the limit is enough.
    /// </summary>
    public void CheckReplicas()
    {
        var now = time.GetTimestamp();
        while (_replicas.TryPeek(out var oldest) && time.GetElapsedTime(oldest.ReadAt, now) > Window)
        {
            _replicas.TryDequeue(out _);
        }

        if (exemptions?.AnyOpen == true)
        {
            return;
        }

        var window = new ReplicaObservations();
        foreach (var (_, reading) in _replicas)
        {
            window.Add(reading);
        }

        if (guardrails.FirstOrDefault(guardrail => guardrail.IsCrossedBy(window)) is { } crossed)
        {
            Fire(crossed.Name, crossed.Describe(window));
        }
    }

    private async Task CheckLabAsync(CancellationToken cancellationToken)
    {
        foreach (var resource in watchedResources.Where(resource => exemptions?.Covers(resource) != true))
        {
            try
            {
                var state = await lab.GetStateAsync(resource, cancellationToken);
                if (state.Instances.FirstOrDefault(instance => !instance.IsRunning) is { } down)
                {
                    Fire(LabHealthName, $"{LabHealthName}: {down.Id} is {down.State ?? "unknown"}, but this experiment does not target {resource}");
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // The lab control API not answering is not the lab failing; the lease covers a lost AppHost.
            }
        }
    }

    private void Fire(string guardrail, string reason)
    {
        if (Trip is not null)
        {
            return;
        }

        Trip = new GuardrailTrip(guardrail, reason, time.GetUtcNow());
        _tripped.Cancel();
    }
}
