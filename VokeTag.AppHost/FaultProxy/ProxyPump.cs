using System.Buffers;
using System.Net.Sockets;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// One direction of one proxied connection: reads what one side sends and passes it to the other. With no fault on
/// this direction (and nothing still held from one) a chunk is sent straight on from the one pooled read buffer: no copy, no hand-off
/// to another loop, nothing allocated. Under a fault each chunk goes through a <see cref="DelayLine"/>, which lets it
/// leave at its due time, so latency is added once and does not compound, and order is kept.
/// </summary>
internal sealed class ProxyPump(Socket from, Socket to, ProxyDirection direction, Func<IReadOnlyList<ProxyFault>> faults, TimeProvider time)
{
    private const int ChunkSize = 16 * 1024;
    private static readonly TimeSpan BlackholePoll = TimeSpan.FromMilliseconds(100);

    public async Task RunAsync(CancellationToken closing)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        DelayLine? delayLine = null;
        try
        {
            while (true)
            {
                // No token on the socket calls: registering one allocates on every call, and a reset closes the sockets,
                // which ends a pending receive or send anyway.
                var read = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None);
                if (read == 0)
                {
                    break;
                }

                var active = faults();
                if (!AnyAffectsThisDirection(active) && delayLine is not { IsHolding: true })
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None);
                    continue;
                }

                if (active.Any(fault => fault.Kind == ProxyFaultKind.Blackhole && fault.Affects(direction)))
                {
                    continue; // swallowed: the sender thinks it was sent, the receiver waits forever
                }

                delayLine ??= new DelayLine(to, direction, faults, time, closing);
                delayLine.Enqueue(buffer.AsSpan(0, read), DelayOf(active));
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            return; // reset, closed or shut down: the connection ends
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        // A partition passes nothing on, not even the end of the stream: while a blackhole holds this direction, the
        // other side keeps waiting, as it would behind a cut cable, and learns of the close once the blackhole lifts.
        if (!await HeldWhileBlackholedAsync(closing) || (delayLine is not null && !await delayLine.DrainAsync()))
        {
            return;
        }

        try
        {
            to.Shutdown(SocketShutdown.Send); // pass the end of the stream on, after everything held has left
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Waits while a blackhole holds this direction; false if the connection was reset meanwhile.</summary>
    private async Task<bool> HeldWhileBlackholedAsync(CancellationToken closing)
    {
        try
        {
            while (faults().Any(fault => fault.Kind == ProxyFaultKind.Blackhole && fault.Affects(direction)))
            {
                await Task.Delay(BlackholePoll, time, closing);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private bool AnyAffectsThisDirection(IReadOnlyList<ProxyFault> active)
    {
        foreach (var fault in active)
        {
            if (fault.Affects(direction))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The largest latency of the faults on this direction, with its jitter drawn for this chunk.</summary>
    private TimeSpan DelayOf(IReadOnlyList<ProxyFault> active)
    {
        var delay = 0;
        foreach (var fault in active)
        {
            if (fault.Kind == ProxyFaultKind.Latency && fault.Affects(direction))
            {
                var jitter = fault.JitterMs == 0 ? 0 : Random.Shared.Next(-fault.JitterMs, fault.JitterMs + 1);
                delay = Math.Max(delay, fault.LatencyMs + jitter);
            }
        }

        return TimeSpan.FromMilliseconds(delay);
    }
}
