using System.Globalization;

namespace VokeTag.Bench.Performance;

/// <summary>CPU time of a process by pid, from Linux's /proc (user + system; clock ticks of 10 ms).</summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100; // getconf CLK_TCK on Linux

    public static bool IsAlive(int pid) => File.Exists($"/proc/{pid}/stat");

    public static TimeSpan Of(int pid) => FromStat(File.ReadAllText($"/proc/{pid}/stat"));

    /// <summary>Fields 14 and 15 (utime, stime) of a stat line; the name in parentheses may hold spaces.</summary>
    public static TimeSpan FromStat(string stat)
    {
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
