namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// A run second by second, from the baseline's start to the end (warm-up excluded): what the load measured and what the
/// 1 s readings of the API's diagnostics and of lab control saw. Seconds count from the run's start.
/// </summary>
public sealed record RunTimeline(IReadOnlyList<TimelinePoint> Points)
{
    public static readonly RunTimeline Empty = new([]);
}

/// <summary>One second of a run.</summary>
/// <param name="Second">Whole seconds since the run started: this point covers [Second, Second + 1).</param>
/// <param name="Phase">baseline, impact, recovery, or <c>between</c> (e.g. while faults were injected).</param>
/// <param name="P50Ms">Latency percentiles in milliseconds of the requests due in this second; null without requests.</param>
/// <param name="StatusClasses">Counts by <see cref="Load.LoadSample.StatusClass"/> (2xx … 5xx, none, not-sent).</param>
/// <param name="ServedFrom">Successful verifications by <c>X-Served-From</c> (cache, database, fallback …).</param>
/// <param name="Replicas">Answers by <c>X-Replica</c>.</param>
/// <param name="Breakers">Circuit state by dependency (closed, open, half-open): the worst a reading in this second saw.</param>
/// <param name="Processes">CPU and memory by lab process (<c>api/replica</c>, <c>cache</c>, <c>db</c>), shares 0 to 1.</param>
/// <param name="DbConnections">PostgreSQL connections in use by API replica.</param>
public sealed record TimelinePoint(
    int Second,
    string Phase,
    int Requests,
    double? P50Ms,
    double? P95Ms,
    double? P99Ms,
    int Failed,
    int Shed,
    IReadOnlyDictionary<string, int> StatusClasses,
    IReadOnlyDictionary<int, int> StatusCodes,
    IReadOnlyDictionary<string, int> ServedFrom,
    IReadOnlyDictionary<string, int> Replicas,
    IReadOnlyDictionary<string, string> Breakers,
    IReadOnlyDictionary<string, ProcessShare> Processes,
    IReadOnlyDictionary<string, int> DbConnections)
{
    /// <summary>As the phases count it: failures over the requests the API took on (shed on purpose is no error).</summary>
    public double ErrorRate => Requests - Shed <= 0 ? 0 : (double)Failed / (Requests - Shed);
}

/// <summary>What a process used: shares of all cores and of the memory, 0 to 1.</summary>
public sealed record ProcessShare(double Cpu, double Memory);
