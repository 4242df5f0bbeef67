using System.Collections.Concurrent;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// Collects what a run saw as it happens — every load sample at its absolute time, every 1 s reading — and turns it into
/// per-second points at the end. Thread-safe: the load and the sampler add from their own tasks. An aborted run keeps
/// what was added until the abort.
/// </summary>
public sealed class TimelineRecorder(DateTimeOffset runStartedAt)
{
    private static readonly string[] BreakerSeverity = ["closed", "half-open", "open"];

    private readonly ConcurrentQueue<(DateTimeOffset At, LoadSample Sample)> _samples = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, Diagnostics Reading)> _diagnostics = new();
    private readonly ConcurrentQueue<(DateTimeOffset At, string Resource, IReadOnlyList<InstanceUsage> Usage)> _usage = new();

    public DateTimeOffset RunStartedAt { get; } = runStartedAt;

    /// <param name="phaseStartedAt">When the sample's load run started: its <see cref="LoadSample.IntendedAt"/> counts from there.</param>
    public void Add(DateTimeOffset phaseStartedAt, LoadSample sample) => _samples.Enqueue((phaseStartedAt + sample.IntendedAt, sample));

    public void Add(DateTimeOffset at, Diagnostics reading) => _diagnostics.Enqueue((at, reading));

    public void Add(DateTimeOffset at, string resource, IReadOnlyList<InstanceUsage> usage) => _usage.Enqueue((at, resource, usage));

    /// <summary>One point per second from the first phase's start (or first record) to the last thing recorded.</summary>
    public RunTimeline Build(IReadOnlyList<PhaseRecord> phases)
    {
        var samples = _samples.ToLookup(entry => SecondOf(entry.At), entry => entry.Sample);
        var diagnostics = _diagnostics.ToLookup(entry => SecondOf(entry.At), entry => entry.Reading);
        var usage = _usage.ToLookup(entry => SecondOf(entry.At), entry => (entry.Resource, entry.Usage));
        var seconds = samples.Select(group => group.Key).Concat(diagnostics.Select(group => group.Key)).Concat(usage.Select(group => group.Key))
            .Concat(phases.SelectMany(phase => new[] { SecondOf(phase.StartedAt), SecondOf(phase.EndedAt) }))
            .ToList();
        if (seconds.Count == 0)
        {
            return RunTimeline.Empty;
        }

        var points = Enumerable.Range(seconds.Min(), seconds.Max() - seconds.Min() + 1)
            .Select(second => Point(second, PhaseAt(second, phases), [.. samples[second]], [.. diagnostics[second]], [.. usage[second]]))
            .ToList();
        return new RunTimeline(points);
    }

    private int SecondOf(DateTimeOffset at) => (int)Math.Floor((at - RunStartedAt).TotalSeconds);

    /// <summary>The phase that holds the middle of the second; <c>between</c> when none does.</summary>
    private string PhaseAt(int second, IReadOnlyList<PhaseRecord> phases)
    {
        var middle = RunStartedAt.AddSeconds(second + 0.5);
        return phases.FirstOrDefault(phase => phase.StartedAt <= middle && middle < phase.EndedAt)?.Name ?? "between";
    }

    private static TimelinePoint Point(
        int second, string phase, IReadOnlyList<LoadSample> samples, IReadOnlyList<Diagnostics> diagnostics,
        IReadOnlyList<(string Resource, IReadOnlyList<InstanceUsage> Usage)> usage)
    {
        var latencies = LatencyPercentiles.Of(samples.Where(sample => !sample.NotSent).Select(sample => sample.Latency));
        double? Ms(double percentile) => latencies.Count == 0 ? null : latencies.At(percentile).TotalMilliseconds;
        return new TimelinePoint(
            second, phase, samples.Count, Ms(50), Ms(95), Ms(99),
            Failed: samples.Count(sample => sample.Failed),
            Shed: samples.Count(sample => sample.Shed),
            StatusClasses: Count(samples.Select(sample => sample.StatusClass)),
            StatusCodes: samples.Where(sample => sample.StatusCode != 0).GroupBy(sample => sample.StatusCode).ToDictionary(group => group.Key, group => group.Count()),
            ServedFrom: Count(samples.Where(sample => sample is { Kind: RequestKind.Verify, Succeeded: true }).Select(sample => sample.ServedFrom ?? "unknown")),
            Replicas: Count(samples.Where(sample => sample.Replica is not null).Select(sample => sample.Replica!)),
            Breakers: diagnostics.SelectMany(reading => reading.Circuits)
                .GroupBy(pair => pair.Key)
                .ToDictionary(group => group.Key, group => group.Select(pair => pair.Value).MaxBy(Severity)!),
            Processes: Processes(diagnostics, usage),
            DbConnections: diagnostics.Where(reading => reading.PostgresPool is not null)
                .GroupBy(reading => reading.Replica ?? "api")
                .ToDictionary(group => group.Key, group => group.Max(reading => reading.PostgresPool!.Used)));
    }

    /// <summary>Lab control's readings where it has them (every process of a resource); the API's own readings otherwise (measure-only mode).</summary>
    private static Dictionary<string, ProcessShare> Processes(
        IReadOnlyList<Diagnostics> diagnostics, IReadOnlyList<(string Resource, IReadOnlyList<InstanceUsage> Usage)> usage)
    {
        var processes = new Dictionary<string, ProcessShare>();
        foreach (var (resource, instances) in usage)
        {
            var running = instances.Where(instance => instance.Processes > 0).ToList();
            foreach (var instance in running)
            {
                processes[resource == "api" || running.Count > 1 ? $"{resource}/{instance.Instance}" : resource] = new ProcessShare(instance.CpuShare, instance.MemoryShare);
            }
        }

        if (!usage.Any(reading => reading.Resource == "api"))
        {
            foreach (var reading in diagnostics.Where(reading => reading.CpuShare is not null || reading.MemoryShare is not null))
            {
                processes[$"api/{reading.Replica ?? "?"}"] = new ProcessShare(reading.CpuShare ?? 0, reading.MemoryShare ?? 0);
            }
        }

        return processes;
    }

    private static int Severity(string state) => Array.IndexOf(BreakerSeverity, state);

    private static Dictionary<string, int> Count(IEnumerable<string> keys) =>
        keys.GroupBy(key => key).ToDictionary(group => group.Key, group => group.Count());
}
