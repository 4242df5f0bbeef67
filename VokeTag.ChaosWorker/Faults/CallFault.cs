using System.Globalization;
using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// <c>call-error</c> / <c>call-latency</c>: a share of the API's calls to the cache or the database fail, or wait first,
/// through Polly's chaos strategies inside the API (its chaos hook <c>/chaos/calls</c>), on every replica or on
/// <paramref name="replicas"/>. A share of requests, not of connections: the API multiplexes them over a few. The
/// requests it touched come back marked, so the run measures the share actually affected.
/// </summary>
/// <param name="target"><c>cache</c> or <c>db</c>, as in the file.</param>
public sealed class CallFault(
    ApiChaosHooks hooks, LabControlClient lab, string target, double share, TimeSpan? latency, TimeSpan lasts, int replicas = FaultDefinition.AllReplicas)
    : ReplicaHookFault(lab, replicas)
{
    /// <summary>The API's name for the dependency a file's target stands for.</summary>
    public string Dependency { get; } = target switch
    {
        "cache" => "redis",
        "db" => "postgres",
        _ => throw new ArgumentException($"call faults act on {string.Join(", ", FaultKinds.CallTargets)}, not '{target}'.", nameof(target)),
    };

    public override string Name => latency is { } delay
        ? string.Create(CultureInfo.InvariantCulture, $"call-latency {delay.TotalMilliseconds:0}ms on {share:P0} of {target} calls {OnWhich}")
        : string.Create(CultureInfo.InvariantCulture, $"call-error on {share:P0} of {target} calls {OnWhich}");

    protected override TimeSpan Lasts => lasts;

    protected override async Task<string> ApplyOnceAsync(CancellationToken cancellationToken) =>
        (await hooks.HitCallsAsync(Dependency, latency is null ? "error" : "latency", share, latency, lasts, cancellationToken)).Replica;

    protected override async Task<string> LiftOnceAsync(CancellationToken cancellationToken) =>
        (await hooks.ReleaseCallsAsync(cancellationToken)).Replica;
}
