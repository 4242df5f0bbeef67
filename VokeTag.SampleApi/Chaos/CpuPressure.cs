namespace VokeTag.SampleApi.Chaos;

/// <summary>
/// Burns a share of every core of the machine inside this process, for a bounded time, the way a hot loop or a
/// noisy neighbour would: one thread per core, each busy for <c>share</c> of every 100 ms slice. It always ends by
/// itself at its deadline; a new pressure replaces the current one.
/// </summary>
public sealed class CpuPressure(TimeProvider time) : IDisposable
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private CancellationTokenSource? _current;

    private PressureState _state = PressureState.None;

    /// <summary>
    /// The pressure now: none once its deadline has passed, even before the deadline's timer has run (on a busy machine
    /// its callback may come a little later).
    /// </summary>
    public PressureState State => _state.Until is { } until && time.GetUtcNow() >= until ? PressureState.None : _state;

    public PressureState Apply(double share, TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(share, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(share, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(duration, MaxDuration);

        lock (_gate)
        {
            StopLocked();
            var stop = new CancellationTokenSource(duration, time);
            _current = stop;
            _state = new PressureState(share, Environment.ProcessorCount, time.GetUtcNow() + duration);
            for (var core = 0; core < Environment.ProcessorCount; core++)
            {
                new Thread(() => Burn(share, stop.Token)) { IsBackground = true, Name = $"cpu-pressure-{core}" }.Start();
            }

            // Only its own pressure: a deadline that fires late must not clear the pressure that replaced it.
            stop.Token.Register(() =>
            {
                lock (_gate)
                {
                    if (_current == stop)
                    {
                        _state = PressureState.None;
                    }
                }
            });
            return _state;
        }
    }

    public void Stop()
    {
        lock (_gate)
        {
            StopLocked();
        }
    }

    public void Dispose() => Stop();

    private void StopLocked()
    {
        _current?.Cancel();
        _current?.Dispose();
        _current = null;
        _state = PressureState.None;
    }

    private void Burn(double share, CancellationToken stop)
    {
        var busy = Slice * share;
        while (!stop.IsCancellationRequested)
        {
            var sliceStart = time.GetTimestamp();
            while (time.GetElapsedTime(sliceStart) < busy && !stop.IsCancellationRequested)
            {
                Thread.SpinWait(1_000);
            }

            // Sleep, not the token's wait handle: Stop disposes the token source while burners may still be here.
            var rest = Slice - time.GetElapsedTime(sliceStart);
            if (rest > TimeSpan.Zero)
            {
                Thread.Sleep(rest);
            }
        }
    }
}

/// <param name="Until">When the pressure ends by itself; null when there is none.</param>
public sealed record PressureState(double Share, int Cores, DateTimeOffset? Until)
{
    public static readonly PressureState None = new(0, Environment.ProcessorCount, null);
}
