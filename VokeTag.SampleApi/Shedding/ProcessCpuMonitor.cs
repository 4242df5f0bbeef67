using System.Diagnostics;

namespace VokeTag.SampleApi.Shedding;

/// <summary>
/// This process's CPU use as a share of all the machine's cores, sampled every 250 ms over the last second: the
/// signal for shedding non-critical work before the critical path slows down.
/// </summary>
public sealed class ProcessCpuMonitor(TimeProvider time) : BackgroundService
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);
    private const int Window = 4; // samples: one second

    private readonly Queue<(long Timestamp, TimeSpan Cpu)> _samples = new();
    private double _usage;

    /// <summary>0 to 1: the share of all cores this process used over the last second.</summary>
    public double Usage => Volatile.Read(ref _usage);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(SampleInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Sample(process);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Sample(Process process)
    {
        process.Refresh();
        var (timestamp, cpu) = (time.GetTimestamp(), process.TotalProcessorTime);
        _samples.Enqueue((timestamp, cpu));
        if (_samples.Count > Window + 1)
        {
            _samples.Dequeue();
        }

        var (firstTimestamp, firstCpu) = _samples.Peek();
        var wall = time.GetElapsedTime(firstTimestamp, timestamp);
        if (wall > TimeSpan.Zero)
        {
            Volatile.Write(ref _usage, (cpu - firstCpu) / (wall * Environment.ProcessorCount));
        }
    }
}
