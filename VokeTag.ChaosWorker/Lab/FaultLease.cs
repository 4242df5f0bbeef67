namespace VokeTag.ChaosWorker.Lab;

/// <summary>
/// A lease on the faults of one run, renewed every third of its time to live until disposed. If the AppHost says it
/// expired (this worker stalled too long), the AppHost has already undone the faults: <see cref="Lost"/> fires so the
/// run stops instead of measuring a fault that is gone.
/// </summary>
public sealed class FaultLease : IAsyncDisposable
{
    private readonly LabControlClient _lab;
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _lost = new();
    private readonly Task _renewing;

    internal FaultLease(LabControlClient lab, string id, TimeSpan timeToLive, TimeProvider time)
    {
        _lab = lab;
        Id = id;
        _renewing = RenewAsync(timeToLive / 3, time);
    }

    public string Id { get; }

    /// <summary>Cancelled when the lease expired before it was released.</summary>
    public CancellationToken Lost => _lost.Token;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _lab.ReleaseLeaseAsync(Id, timeout.Token);
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException)
        {
            // The lease then expires by itself; the run already rolled its faults back.
        }

        _stop.Dispose();
        _lost.Dispose();
    }

    private async Task RenewAsync(TimeSpan interval, TimeProvider time)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    if (!await _lab.RenewLeaseAsync(Id, _stop.Token))
                    {
                        await _lost.CancelAsync();
                        return;
                    }
                }
                catch (HttpRequestException)
                {
                    // Try again at the next tick; if the AppHost stays unreachable, the lease expires there.
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
    }
}
