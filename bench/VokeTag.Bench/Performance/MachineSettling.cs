using System.Diagnostics;
using System.Globalization;

namespace VokeTag.Bench.Performance;

/// <summary>
/// Waits until the machine is quiet before a measurement: what one measurement leaves behind (the dashboard still
/// taking in the traces of 60,000 requests, a replica's garbage collection) must not be charged to the next one.
/// Measured here: after wrk at saturation the dashboard kept 0.75 of a core busy for seconds.
/// </summary>
public static class MachineSettling
{
    /// <summary>Quiet: at most this share of all cores busy over one sample.</summary>
    public const double QuietBusyShare = 0.25;

    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(500);

    /// <summary>Waits until one sample is quiet, at most <paramref name="limit"/>; the busy share of the last sample.</summary>
    public static async Task<double> WaitAsync(TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        double busy;
        do
        {
            var before = Read();
            await Task.Delay(Sample);
            busy = BusyShare(before, Read());
        }
        while (busy > QuietBusyShare && waited.Elapsed < limit);

        return busy;
    }

    /// <summary>The busy share of all cores between two readings of /proc/stat's first line.</summary>
    public static double BusyShare((long Total, long Idle) before, (long Total, long Idle) after)
    {
        var total = after.Total - before.Total;
        return total <= 0 ? 0 : 1 - (double)(after.Idle - before.Idle) / total;
    }

    /// <summary>"cpu  user nice system idle iowait irq softirq steal …": idle and iowait count as idle.</summary>
    public static (long Total, long Idle) Parse(string cpuLine)
    {
        var fields = cpuLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields.Take(8).Sum(), fields[3] + fields[4]);
    }

    private static (long Total, long Idle) Read() => Parse(File.ReadLines("/proc/stat").First());
}
