using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Burns <paramref name="share"/> of every core inside every API replica through the API's chaos hook. Each hook call
/// lands on the replica Aspire's proxy picks, so the fault calls until every running replica has answered. The
/// pressure carries its own deadline (<paramref name="lasts"/>), so it ends by itself even if the worker dies;
/// rollback ends it at once.
/// </summary>
public sealed class CpuPressureFault(ApiChaosHooks hooks, LabControlClient lab, double share, TimeSpan lasts) : IFault
{
    /// <summary>Enough calls for the proxy to have routed at least one to each replica.</summary>
    private const int Attempts = 40;

    private readonly HashSet<string> _pressed = [];

    public string Name => _pressed.Count == 0
        ? $"cpu {share:P0} of every core"
        : $"cpu {share:P0} of every core on {string.Join(", ", _pressed.Order())}";

    public string Target => "api";

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var replicas = (await lab.GetStateAsync(Target, cancellationToken)).Instances.Count(instance => instance.IsRunning);
        for (var attempt = 0; attempt < Attempts && _pressed.Count < replicas; attempt++)
        {
            _pressed.Add((await hooks.PressCpuAsync(share, lasts, cancellationToken)).Replica);
        }

        if (_pressed.Count < replicas)
        {
            throw new InvalidOperationException($"CPU pressure reached {_pressed.Count} of {replicas} replicas in {Attempts} calls.");
        }
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < Attempts && _pressed.Count > 0; attempt++)
        {
            _pressed.Remove((await hooks.ReleaseCpuAsync(cancellationToken)).Replica);
        }

        if (_pressed.Count > 0)
        {
            throw new InvalidOperationException(
                $"could not reach {string.Join(", ", _pressed)} in {Attempts} calls; the pressure ends by itself within {lasts.TotalSeconds:0} s.");
        }
    }
}
