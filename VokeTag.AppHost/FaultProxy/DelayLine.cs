using System.Buffers;
using System.Net.Sockets;
using System.Threading.Channels;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// The slow lane of a <see cref="ProxyPump"/> while a fault is set: chunks wait here, in order, until their due time,
/// and leave no faster than a bandwidth fault allows. Pacing follows a schedule (each piece may leave when the one
/// before has had its share of the second), so a late timer makes the next wait shorter instead of adding up.
/// Nothing held is dropped when the fault is lifted: the pump keeps using this lane until it is empty.
/// </summary>
internal sealed class DelayLine
{
    /// <summary>A timer fires up to about a millisecond late; the last stretch of a wait is spun off in short sleeps.</summary>
    private static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(1);

    /// <summary>Under a bandwidth limit a chunk leaves in pieces of this much of a second's worth, so the flow is even.</summary>
    private const double PieceSeconds = 0.01;

    private readonly Channel<Chunk> _chunks = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Socket _to;
    private readonly ProxyDirection _direction;
    private readonly Func<IReadOnlyList<ProxyFault>> _faults;
    private readonly TimeProvider _time;
    private readonly Task<bool> _writing;
    private int _held;
    private long _nextFreeTimestamp;

    public DelayLine(Socket to, ProxyDirection direction, Func<IReadOnlyList<ProxyFault>> faults, TimeProvider time, CancellationToken closing)
    {
        (_to, _direction, _faults, _time) = (to, direction, faults, time);
        _writing = WriteAsync(closing);
    }

    /// <summary>True while a chunk is waiting or being sent: the pump must not overtake it.</summary>
    public bool IsHolding => Volatile.Read(ref _held) > 0;

    public void Enqueue(ReadOnlySpan<byte> data, TimeSpan delay)
    {
        var copy = ArrayPool<byte>.Shared.Rent(data.Length);
        data.CopyTo(copy);
        Interlocked.Increment(ref _held);
        if (!_chunks.Writer.TryWrite(new Chunk(copy, data.Length, _time.GetTimestamp() + Ticks(delay))))
        {
            ArrayPool<byte>.Shared.Return(copy); // the writer ended: the connection is closing
            Interlocked.Decrement(ref _held);
        }
    }

    /// <summary>Lets everything held leave; false if the connection ended first.</summary>
    public Task<bool> DrainAsync()
    {
        _chunks.Writer.TryComplete();
        return _writing;
    }

    private async Task<bool> WriteAsync(CancellationToken closing)
    {
        try
        {
            await foreach (var chunk in _chunks.Reader.ReadAllAsync(closing))
            {
                try
                {
                    await WaitUntilAsync(chunk.DueTimestamp, closing);
                    await SendPacedAsync(chunk.Data.AsMemory(0, chunk.Length), closing);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Data);
                    Interlocked.Decrement(ref _held);
                }
            }

            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _chunks.Writer.TryComplete();
            return false;
        }
    }

    private async Task SendPacedAsync(ReadOnlyMemory<byte> data, CancellationToken closing)
    {
        while (!data.IsEmpty)
        {
            var limit = BandwidthLimit();
            if (limit is null)
            {
                _nextFreeTimestamp = 0;
                await _to.SendAsync(data, SocketFlags.None, closing);
                return;
            }

            var piece = data[..(int)Math.Clamp(limit.Value * PieceSeconds, 1, data.Length)];
            var now = _time.GetTimestamp();
            var start = Math.Max(now, _nextFreeTimestamp);
            _nextFreeTimestamp = start + Ticks(TimeSpan.FromSeconds(piece.Length / (double)limit.Value));
            await WaitUntilAsync(start, closing);
            await _to.SendAsync(piece, SocketFlags.None, closing);
            data = data[piece.Length..];
        }
    }

    private long? BandwidthLimit()
    {
        foreach (var fault in _faults())
        {
            if (fault.Kind == ProxyFaultKind.Bandwidth && fault.Affects(_direction))
            {
                return fault.BytesPerSecond;
            }
        }

        return null;
    }

    private async Task WaitUntilAsync(long dueTimestamp, CancellationToken closing)
    {
        var wait = _time.GetElapsedTime(_time.GetTimestamp(), dueTimestamp);
        if (wait > TimerSlack)
        {
            await Task.Delay(wait - TimerSlack, _time, closing);
        }

        while (_time.GetElapsedTime(_time.GetTimestamp(), dueTimestamp) > TimeSpan.Zero)
        {
            await Task.Yield(); // the last millisecond: yield rather than oversleep by a timer tick
            closing.ThrowIfCancellationRequested();
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private readonly record struct Chunk(byte[] Data, int Length, long DueTimestamp);
}
