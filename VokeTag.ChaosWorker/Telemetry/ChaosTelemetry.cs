using System.Diagnostics;
using System.Diagnostics.Metrics;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Telemetry;

/// <summary>
/// The worker's traces and metrics (source and meter <c>VokeTag.Chaos</c>): a root span per experiment run with a
/// child per phase and per fault action, and the run id as baggage so the API's spans carry it too.
/// </summary>
public sealed class ChaosTelemetry : IDisposable
{
    public const string Name = "VokeTag.Chaos";
    public const string RunIdBaggage = "chaos.run_id";

    private readonly ActivitySource _source = new(Name);
    private readonly Meter _meter;
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _outcomes;
    private long _activeFaults;

    public ChaosTelemetry(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(Name);
        _latency = _meter.CreateHistogram<double>("chaos.load.latency", "ms", "Latency of the experiment load, from when each request was due.");
        _outcomes = _meter.CreateCounter<long>("chaos.load.outcomes", description: "Experiment load responses by phase and status class.");
        _meter.CreateObservableGauge("chaos.faults.active", () => Interlocked.Read(ref _activeFaults), description: "Faults injected and not yet rolled back.");
    }

    /// <summary>
    /// The run's root span, named <c>chaos {label} {run id}</c>, in a trace of its own: linked to the span that asked for
    /// the run (<paramref name="trigger"/>, e.g. <c>POST /runs</c>), not nested under it, so the dashboard lists the run
    /// by name.
    /// </summary>
    /// <param name="label">What the run may show of itself: the experiment, or a hidden game-day round's id.</param>
    public Activity? StartRun(string label, string runId, ActivityContext trigger = default)
    {
        Activity.Current = null; // synchronous: the caller's async flow continues without the request's span
        ActivityLink[]? links = trigger == default ? null : [new ActivityLink(trigger)];
        var activity = _source.StartActivity(ActivityKind.Internal, parentContext: default, links: links, name: $"chaos {label} {runId}");
        activity?.SetTag("chaos.experiment", label).SetTag(RunIdBaggage, runId);
        activity?.AddBaggage(RunIdBaggage, runId);
        return activity;
    }

    public Activity? StartPhase(string phase) =>
        _source.StartActivity($"phase {phase}")?.SetTag("chaos.phase", phase);

    public Activity? StartFaultAction(string action, string fault, string target) =>
        _source.StartActivity($"{action} {fault} {target}")?.SetTag("chaos.fault", fault).SetTag("chaos.target", target).SetTag("chaos.action", action);

    /// <summary>A hidden game day round's fault action: named after the round, neither the fault nor its target.</summary>
    public Activity? StartHiddenFaultAction(string action, string label) =>
        _source.StartActivity($"{action} {label}")?.SetTag("chaos.action", action);

    public void FaultInjected() => Interlocked.Increment(ref _activeFaults);

    public void FaultRolledBack() => Interlocked.Decrement(ref _activeFaults);

    public void Record(string phase, IEnumerable<LoadSample> samples)
    {
        foreach (var sample in samples)
        {
            var tags = new TagList { { "chaos.phase", phase }, { "kind", sample.Kind.ToString().ToLowerInvariant() } };
            _latency.Record(sample.Latency.TotalMilliseconds, tags);
            tags.Add("status_class", sample.StatusClass);
            _outcomes.Add(1, tags);
        }
    }

    public void Dispose()
    {
        _source.Dispose();
        _meter.Dispose();
    }
}
