using System.Diagnostics;
using System.Diagnostics.Metrics;
using VokeTag.SampleApi.Telemetry;

namespace VokeTag.SampleApi.Shedding;

/// <summary>
/// How much CPU this process wants, as a share of all the machine's cores, sampled every 250 ms over the last second:
/// the signal for shedding non-critical work before the critical path slows down.
/// </summary>
/// <remarks>
/// The time the process ran is not enough on a busy machine: two pressed processes on two cores each get about half,
/// however much they want, and a signal that sits on its threshold sheds now and then. So the demand adds the time the
/// process's threads spent ready to run but waiting for a core (the scheduler's run-queue wait, from Linux's
/// <c>/proc/self/task/*/schedstat</c>): a process starved of CPU is under pressure even while it gets little of it.
/// Where that file does not exist (not Linux) the demand is the time the process ran.
/// </remarks>
public sealed class ProcessCpuMonitor : BackgroundService
{
    private static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(250);
    private const int Window = 4; // samples: one second

    private readonly Queue<(long Timestamp, TimeSpan Ran, TimeSpan Waited)> _samples = new();
    private readonly RunQueueWait _runQueueWait = new();
    private readonly TimeProvider _time;
    private double _usage;
    private double _demand;

    public ProcessCpuMonitor(TimeProvider time, IMeterFactory meterFactory)
    {
        _time = time;
        meterFactory.Create(ApiMetrics.MeterName).CreateObservableGauge("voketag.cpu.share",
            () => new[]
            {
                new Measurement<double>(Usage, new KeyValuePair<string, object?>("kind", "ran")),
                new Measurement<double>(Demand, new KeyValuePair<string, object?>("kind", "wanted")),
            },
            description: "Share of all cores this replica ran on (ran) and wanted, counting the time its threads waited for a core (wanted), over the last second; non-critical reads are shed while ran is at least LoadShedding:CpuRanFloor (0.25 by default) and wanted is above LoadShedding:CpuThreshold (0.4 by default).");
    }

    /// <summary>0 to 1: the share of all cores this process ran on over the last second.</summary>
    public double Usage => Volatile.Read(ref _usage);

    /// <summary>
    /// The share of all cores this process wanted over the last second: the time it ran plus the time its threads
    /// waited for a core. Can pass 1 when more threads are ready than there are cores.
    /// </summary>
    public double Demand => Volatile.Read(ref _demand);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var process = Process.GetCurrentProcess();
        using var timer = new PeriodicTimer(SampleInterval, _time);
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
        var (timestamp, ran, waited) = (_time.GetTimestamp(), process.TotalProcessorTime, _runQueueWait.Read());
        _samples.Enqueue((timestamp, ran, waited));
        if (_samples.Count > Window + 1)
        {
            _samples.Dequeue();
        }

        var (firstTimestamp, firstRan, firstWaited) = _samples.Peek();
        var cores = _time.GetElapsedTime(firstTimestamp, timestamp) * Environment.ProcessorCount;
        if (cores > TimeSpan.Zero)
        {
            var usage = (ran - firstRan) / cores;
            Volatile.Write(ref _usage, usage);
            Volatile.Write(ref _demand, usage + (waited - firstWaited) / cores);
        }
    }
}

/// <summary>
/// The time this process's threads have waited, ready to run, for a core since it was first read: the sum of each
/// thread's growth in run-queue wait (field 2 of <c>/proc/self/task/&lt;tid&gt;/schedstat</c>, in nanoseconds).
/// Threads come and go; a thread seen for the first time counts its whole wait, a thread gone counts no more.
/// </summary>
public sealed class RunQueueWait(string tasksDirectory = "/proc/self/task")
{
    private Dictionary<int, long> _lastWaitByThread = [];
    private long _totalNanoseconds;

    /// <summary>The wait so far; zero where the scheduler does not report it.</summary>
    public TimeSpan Read()
    {
        if (!Directory.Exists(tasksDirectory))
        {
            return TimeSpan.Zero;
        }

        var waitByThread = new Dictionary<int, long>(_lastWaitByThread.Count);
        foreach (var threadDirectory in Directory.EnumerateDirectories(tasksDirectory))
        {
            if (int.TryParse(Path.GetFileName(threadDirectory), out var thread)
                && TryReadWait(Path.Combine(threadDirectory, "schedstat")) is { } wait)
            {
                waitByThread[thread] = wait;
            }
        }

        return Advance(waitByThread);
    }

    /// <summary>Adds what each thread waited since the last reading and returns the total so far.</summary>
    public TimeSpan Advance(IReadOnlyDictionary<int, long> waitNanosecondsByThread)
    {
        foreach (var (thread, wait) in waitNanosecondsByThread)
        {
            var before = _lastWaitByThread.GetValueOrDefault(thread);
            _totalNanoseconds += Math.Max(0, wait - before);
        }

        _lastWaitByThread = new Dictionary<int, long>(waitNanosecondsByThread);
        return TimeSpan.FromTicks(_totalNanoseconds / TimeSpan.NanosecondsPerTick);
    }

    /// <summary>The wait from one schedstat line, "&lt;ran ns&gt; &lt;waited ns&gt; &lt;time slices&gt;"; null if unreadable.</summary>
    public static long? ParseWait(string schedstat) =>
        schedstat.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [_, var wait, ..] && long.TryParse(wait, out var nanoseconds) && nanoseconds >= 0
            ? nanoseconds
            : null;

    private static long? TryReadWait(string path)
    {
        try
        {
            return ParseWait(File.ReadAllText(path));
        }
        catch (IOException)
        {
            return null; // the thread ended between listing and reading
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
