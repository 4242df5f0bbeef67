namespace VokeTag.ChaosWorker.Lab;

/// <summary>
/// Reads, while faults are live, what the lab's stores use — the CPU and memory of <c>cache</c> and <c>db</c>, all their
/// processes, as lab control measures them — and keeps the peaks: <c>cache-cpu-peak</c>, <c>cache-memory-peak</c>,
/// <c>db-cpu-peak</c>, <c>db-memory-peak</c> (shares of all cores and of the machine's memory). A store that is down has
/// no processes and no reading.
/// </summary>
public sealed class LabResourceProbe(LabControlClient lab, TimeProvider time)
{
    public static readonly string[] Resources = ["cache", "db"];

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static string CpuPeak(string resource) => $"{resource}-cpu-peak";

    public static string MemoryPeak(string resource) => $"{resource}-memory-peak";

    public async Task<IReadOnlyDictionary<string, double>> WatchAsync(CancellationToken cancellationToken)
    {
        var peaks = new Dictionary<string, double>();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                // Each reading lasts a quarter of a second: the stores are read together, not one after the other.
                var readings = await Task.WhenAll(Resources.Select(async resource => (resource, Usage: await lab.GetUsageAsync(resource, cancellationToken))));
                foreach (var (resource, usage) in readings)
                {
                    foreach (var instance in usage.Where(instance => instance.Processes > 0))
                    {
                        Peak(peaks, CpuPeak(resource), instance.CpuShare);
                        Peak(peaks, MemoryPeak(resource), instance.MemoryShare);
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException
                or OperationCanceledException)
            {
                // Lab control busy or a store restarting: this reading is lost, the next one may not be.
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return peaks;
    }

    private static void Peak(Dictionary<string, double> peaks, string name, double reading)
    {
        if (!peaks.TryGetValue(name, out var peak) || reading > peak)
        {
            peaks[name] = reading;
        }
    }
}
