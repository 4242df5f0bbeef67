using VokeTag.ChaosWorker.Api;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// Burns <paramref name="share"/> of every core inside one API replica through the API's chaos hook. The pressure
/// carries its own deadline (<paramref name="lasts"/>), so it ends by itself even if the worker dies; rollback ends
/// it at once.
/// </summary>
public sealed class CpuPressureFault(ApiChaosHooks hooks, double share, TimeSpan lasts) : IFault
{
    /// <summary>Each release lands on a replica the proxy picks: enough attempts to reach the pressed one.</summary>
    private const int ReleaseAttempts = 30;

    private string? _pressed;

    public string Name => _pressed is null ? $"cpu {share:P0} of every core" : $"cpu {share:P0} of every core on {_pressed}";

    public string Target => "api";

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var pressed = await hooks.PressCpuAsync(share, lasts, cancellationToken);
        _pressed = pressed.Replica;
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        if (_pressed is null)
        {
            return;
        }

        for (var attempt = 0; attempt < ReleaseAttempts; attempt++)
        {
            if ((await hooks.ReleaseCpuAsync(cancellationToken)).Replica == _pressed)
            {
                _pressed = null;
                return;
            }
        }

        throw new InvalidOperationException(
            $"could not reach replica {_pressed} in {ReleaseAttempts} attempts; its pressure ends by itself within {lasts.TotalSeconds:0} s.");
    }
}
