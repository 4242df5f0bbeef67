using System.Globalization;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The CPU and memory a lab resource's processes use, read from Linux's <c>/proc</c>: for a process (process mode) the
/// process and everything it started (PostgreSQL serves each connection from a child), for a container every process in
/// its cgroup. CPU is the share of all cores over <see cref="Window"/>; memory the share of the machine's, counted as
/// proportional set size (a page shared by PostgreSQL's processes counts once), or resident size where that cannot be
/// read. Elsewhere than Linux nothing is measured.
/// </summary>
public sealed class ResourceUsage(ResourceStates states, TimeProvider time)
{
    private const string PidProperty = "executable.pid";
    private const string ContainerIdProperty = "container.id";

    /// <summary>How long one reading of the CPU lasts.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);

    /// <summary>Linux reports CPU time in USER_HZ, 100 a second on every architecture (it is part of the ABI).</summary>
    private const long TicksPerSecond = 100;

    private static readonly long PageBytes = Environment.SystemPageSize;

    /// <returns>One reading per instance that has processes; empty where /proc does not exist.</returns>
    public async Task<IReadOnlyList<InstanceUsage>> MeasureAsync(IResource resource, CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return [];
        }

        var instances = states.InstancesOf(resource)
            .Select(instance => (instance.ResourceId, Find: ProcessesOf(instance)))
            .Where(instance => instance.Find is not null)
            .ToList();
        var first = ProcessTable.Read();
        var before = instances.ToDictionary(instance => instance.ResourceId, instance => CpuTicks(instance.Find!(first)));
        var started = time.GetTimestamp();
        await Task.Delay(Window, time, cancellationToken);
        var table = ProcessTable.Read();
        var elapsed = time.GetElapsedTime(started).TotalSeconds;
        var memoryTotal = MemoryTotalBytes();
        return
        [
            .. instances.Select(instance =>
            {
                var processes = instance.Find!(table);
                var ticks = CpuTicks(processes).Sum(pair => pair.Value - before[instance.ResourceId].GetValueOrDefault(pair.Key));
                var cpuShare = ticks / (double)TicksPerSecond / elapsed / Environment.ProcessorCount;
                var memoryShare = memoryTotal > 0 ? processes.Sum(MemoryBytes) / (double)memoryTotal : 0;
                return new InstanceUsage(instance.ResourceId, processes.Count, Math.Round(cpuShare, 4), Math.Round(memoryShare, 4));
            }),
        ];
    }

    /// <summary>How to find an instance's processes in a table of them, or null when it has none to find.</summary>
    private static Func<ProcessTable, IReadOnlyList<int>>? ProcessesOf(ResourceEvent instance)
    {
        var properties = instance.Snapshot.Properties;
        if (properties.FirstOrDefault(property => property.Name == PidProperty)?.Value is { } value
            && int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var pid) && pid > 0)
        {
            return table => table.TreeOf(pid);
        }

        if (properties.FirstOrDefault(property => property.Name == ContainerIdProperty)?.Value is { } id
            && Convert.ToString(id, CultureInfo.InvariantCulture) is { Length: >= 12 } containerId)
        {
            return table => table.InContainer(containerId);
        }

        return null;
    }

    private static Dictionary<int, long> CpuTicks(IReadOnlyList<int> processes) =>
        processes.Select(pid => (pid, Ticks: ProcessTable.CpuTicksOf(pid))).Where(pair => pair.Ticks is not null)
            .ToDictionary(pair => pair.pid, pair => pair.Ticks!.Value);

    private static long MemoryBytes(int pid)
    {
        try
        {
            // Pss: this process's share of every page it maps (root, or the same user, may read it).
            foreach (var line in File.ReadLines($"/proc/{pid}/smaps_rollup"))
            {
                if (line.StartsWith("Pss:", StringComparison.Ordinal))
                {
                    return Kilobytes(line) * 1024;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
        }

        try
        {
            var fields = File.ReadAllText($"/proc/{pid}/statm").Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * PageBytes;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0; // gone meanwhile
        }
    }

    private static long MemoryTotalBytes()
    {
        var line = File.ReadLines("/proc/meminfo").FirstOrDefault(line => line.StartsWith("MemTotal:", StringComparison.Ordinal));
        return line is null ? 0 : Kilobytes(line) * 1024;
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    /// <summary>Every process on the machine with its parent, read once.</summary>
    internal sealed class ProcessTable
    {
        private readonly Dictionary<int, int> _parents;

        internal ProcessTable(Dictionary<int, int> parents) => _parents = parents;

        public static ProcessTable Read()
        {
            var parents = new Dictionary<int, int>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(directory), out var pid) && StatFields(pid) is { } fields)
                {
                    parents[pid] = int.Parse(fields[1], CultureInfo.InvariantCulture);
                }
            }

            return new ProcessTable(parents);
        }

        /// <summary>The process and all its descendants that are still alive.</summary>
        public IReadOnlyList<int> TreeOf(int root)
        {
            if (!_parents.ContainsKey(root))
            {
                return [];
            }

            var children = _parents.ToLookup(pair => pair.Value, pair => pair.Key);
            var tree = new List<int> { root };
            for (var next = 0; next < tree.Count; next++)
            {
                tree.AddRange(children[tree[next]]);
            }

            return tree;
        }

        /// <summary>The processes whose cgroup names the container (Podman's <c>libpod-ID</c>, Docker's <c>docker-ID</c>).</summary>
        public IReadOnlyList<int> InContainer(string containerId) =>
        [
            .. _parents.Keys.Where(pid =>
            {
                try
                {
                    return File.ReadAllText($"/proc/{pid}/cgroup").Contains(containerId, StringComparison.Ordinal);
                }
                catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
                {
                    return false;
                }
            }),
        ];

        /// <summary>User plus system CPU time of one process, in clock ticks; null when it is gone.</summary>
        public static long? CpuTicksOf(int pid) =>
            StatFields(pid) is { } fields
                ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
                : null;

        /// <summary>The fields of <c>/proc/PID/stat</c> after the command name (which may hold spaces): state, ppid, …</summary>
        private static string[]? StatFields(int pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}

/// <param name="Instance">The resource instance's id.</param>
/// <param name="Processes">How many processes it had at the end of the reading.</param>
/// <param name="CpuShare">Share of all cores its processes used over the reading (0 to 1).</param>
/// <param name="MemoryShare">Share of the machine's memory its processes held (0 to 1).</param>
public sealed record InstanceUsage(string Instance, int Processes, double CpuShare, double MemoryShare);
