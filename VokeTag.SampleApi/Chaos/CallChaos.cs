using System.Collections.Concurrent;
using Polly;
using Polly.Simmy;
using Polly.Simmy.Fault;
using Polly.Simmy.Latency;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Chaos;

/// <summary>What the lab injects into a share of this replica's calls to one dependency.</summary>
public enum CallFaultKind
{
    /// <summary>The call fails as an outage would (counts for the breaker, answered as the API answers an outage).</summary>
    Error,

    /// <summary>The call waits this long first; the pipeline's timeout still applies, as to a slow server.</summary>
    Latency,
}

/// <param name="Share">The share of calls hit, above 0 up to 1: Polly's injection rate.</param>
/// <param name="Until">When the fault ends by itself, whoever forgets to lift it.</param>
public sealed record CallFault(Dependency Dependency, CallFaultKind Kind, double Share, TimeSpan Latency, DateTimeOffset Until);

/// <summary>Raised instead of a call the lab chose to fail: an outage as far as the API is concerned.</summary>
public sealed class InjectedFaultException(Dependency dependency)
    : Exception($"{dependency.PipelineName()} call failed on purpose by the lab's chaos hook (a share of calls)")
{
    public Dependency Dependency { get; } = dependency;
}

/// <summary>
/// Faults on a share of <em>calls</em>, not of connections: the API holds one multiplexed Redis connection and a few
/// pooled PostgreSQL ones, so a share of connections would be none or most of the traffic. Polly v8's own chaos
/// strategies sit innermost in each dependency's pipeline (inside the timeout and the breaker, which treat what they
/// inject as they treat the real thing) and are switched by the lab's chaos hook. A fault always carries its deadline.
/// Every request a fault touched answers with <see cref="Header"/> naming it, so the load generator measures the share
/// actually affected instead of trusting the injection rate.
/// </summary>
public sealed class CallChaos(TimeProvider time, IHttpContextAccessor requests)
{
    public const string Header = "X-Chaos-Injected";
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    private static readonly object MarkKey = new();

    private readonly ConcurrentDictionary<Dependency, CallFault> _faults = new();
    private readonly ConcurrentDictionary<Dependency, long> _injected = new();

    /// <summary>The faults in force now; one whose deadline passed is gone.</summary>
    public IReadOnlyList<CallFault> Active => [.. _faults.Values.Where(IsLive).OrderBy(fault => fault.Dependency)];

    /// <summary>How many calls to each dependency were hit since this replica started.</summary>
    public IReadOnlyDictionary<Dependency, long> Injected => _injected;

    /// <summary>Sets the fault on its dependency, replacing the one there.</summary>
    public CallFault Apply(Dependency dependency, CallFaultKind kind, double share, TimeSpan latency, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(share, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);
        var fault = new CallFault(dependency, kind, share, kind == CallFaultKind.Latency ? latency : TimeSpan.Zero, time.GetUtcNow() + duration);
        _faults[dependency] = fault;
        return fault;
    }

    public void Clear() => _faults.Clear();

    /// <summary>Adds the chaos strategies of <paramref name="dependency"/>: last, so every other strategy sees what they inject.</summary>
    public ResiliencePipelineBuilder AddStrategies(ResiliencePipelineBuilder pipeline, Dependency dependency) => pipeline
        .AddChaosLatency(new ChaosLatencyStrategyOptions
        {
            EnabledGenerator = _ => ValueTask.FromResult(LiveFault(dependency, CallFaultKind.Latency) is not null),
            InjectionRateGenerator = _ => ValueTask.FromResult(LiveFault(dependency, CallFaultKind.Latency)?.Share ?? 0),
            LatencyGenerator = _ => ValueTask.FromResult(LiveFault(dependency, CallFaultKind.Latency)?.Latency ?? TimeSpan.Zero),
            OnLatencyInjected = _ => Mark(dependency, CallFaultKind.Latency),
        })
        .AddChaosFault(new ChaosFaultStrategyOptions
        {
            EnabledGenerator = _ => ValueTask.FromResult(LiveFault(dependency, CallFaultKind.Error) is not null),
            InjectionRateGenerator = _ => ValueTask.FromResult(LiveFault(dependency, CallFaultKind.Error)?.Share ?? 0),
            FaultGenerator = _ => ValueTask.FromResult<Exception?>(new InjectedFaultException(dependency)),
            OnFaultInjected = _ => Mark(dependency, CallFaultKind.Error),
        });

    /// <summary>Answers a request the lab touched with <see cref="Header"/>, e.g. <c>redis-latency</c>: the one writer of it.</summary>
    public static IApplicationBuilder UseInjectedHeader(IApplicationBuilder app) => app.Use((context, next) =>
    {
        // At the last moment, as the replica header: the exception handler clears headers set earlier.
        context.Response.OnStarting(() =>
        {
            if (InjectedInto(context) is { } marks)
            {
                context.Response.Headers[Header] = marks;
            }

            return Task.CompletedTask;
        });
        return next(context);
    });

    /// <summary>Adds what the lab did to this request to its <see cref="Header"/> (a call fault, a redeploy).</summary>
    public static void MarkRequest(HttpContext context, string mark)
    {
        var marks = context.Items[MarkKey] as SortedSet<string> ?? [];
        marks.Add(mark);
        context.Items[MarkKey] = marks;
    }

    /// <summary>What the lab did to this request, e.g. <c>redeploy-pool-size-1,redis-error</c>; null when nothing.</summary>
    public static string? InjectedInto(HttpContext context) =>
        context.Items[MarkKey] is SortedSet<string> marks ? string.Join(",", marks) : null;

    private CallFault? LiveFault(Dependency dependency, CallFaultKind kind) =>
        _faults.TryGetValue(dependency, out var fault) && fault.Kind == kind && IsLive(fault) ? fault : null;

    private bool IsLive(CallFault fault) => time.GetUtcNow() < fault.Until;

    private ValueTask Mark(Dependency dependency, CallFaultKind kind)
    {
        _injected.AddOrUpdate(dependency, 1, (_, count) => count + 1);
        if (requests.HttpContext is { } context)
        {
            MarkRequest(context, $"{dependency.PipelineName()}-{kind.ToString().ToLowerInvariant()}");
        }

        return ValueTask.CompletedTask;
    }
}
