using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Network trouble on one of the API's paths, injected into the AppHost's TCP fault proxy in front of Redis
/// (<c>cache-proxy</c>) or PostgreSQL (<c>db-proxy</c>). It touches that path only, and existing connections too.
/// </summary>
public sealed class NetworkFault(LabControlClient lab, string proxy, params NetworkFaultSpec[] faults) : IFault
{
    public string Name { get; } = string.Join(" + ", faults.Select(fault => fault.ToString()));

    public string Target { get; } = proxy;

    public Task InjectAsync(CancellationToken cancellationToken) => lab.SetProxyFaultsAsync(Target, faults, cancellationToken);

    public Task RollbackAsync(CancellationToken cancellationToken) => lab.ClearProxyFaultsAsync(Target, cancellationToken);
}
