namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// The figures of one phase (baseline, impact, recovery): latency percentiles, throughput, error rate by status
/// class, the share of verifications the fallback served and the answers per API replica. Percentiles are nearest
/// rank over all samples (<see cref="LatencyPercentiles"/>: exact up to 20,000 samples, within 0.1 % above). Requests
/// the API shed on purpose (<see cref="LoadSample.Shed"/>) are counted in <see cref="Shed"/> and left out of <see cref="ErrorRate"/> and <see cref="SuccessRate"/>, which measure the service
/// given to the requests it took on; <see cref="StatusCodes"/> still shows their 503s.
/// </summary>
public sealed record PhaseStatistics(
    int Requests,
    double ThroughputPerSecond,
    TimeSpan P50,
    TimeSpan P95,
    TimeSpan P99,
    TimeSpan Max,
    double ErrorRate,
    IReadOnlyDictionary<int, int> StatusCodes,
    IReadOnlyDictionary<string, int> StatusClasses,
    double FallbackShare,
    double SuccessRate,
    IReadOnlyDictionary<RequestKind, TimeSpan> P95ByKind,
    IReadOnlyDictionary<RequestKind, IReadOnlyDictionary<int, int>> StatusCodesByKind,
    IReadOnlyDictionary<string, int> Replicas,
    IReadOnlyList<LoadSample> FirstFailures,
    IReadOnlyDictionary<RequestKind, int> ShedByKind,
    IReadOnlyDictionary<string, int> ShedByReason,
    int Affected)
{
    /// <summary>How many failed requests a phase keeps as examples for the run record.</summary>
    public const int FailureExamples = 20;

    public static readonly PhaseStatistics Empty = From([], TimeSpan.Zero);

    /// <param name="duration">How long the phase sent traffic, for throughput.</param>
    public static PhaseStatistics From(IReadOnlyCollection<LoadSample> samples, TimeSpan duration)
    {
        var latencies = LatencyPercentiles.Of(samples.Select(sample => sample.Latency));
        var verifiedOk = samples.Count(sample => sample.Kind == RequestKind.Verify && sample.Succeeded);
        var fallbacks = samples.Count(sample => sample.Kind == RequestKind.Verify && sample.Succeeded && sample.ServedFrom == "fallback");
        var shed = samples.Count(sample => sample.Shed);
        return new PhaseStatistics(
            Requests: samples.Count,
            ThroughputPerSecond: duration > TimeSpan.Zero ? samples.Count(sample => sample.Succeeded) / duration.TotalSeconds : 0,
            P50: latencies.At(50),
            P95: latencies.At(95),
            P99: latencies.At(99),
            Max: latencies.Max,
            ErrorRate: Share(samples.Count(sample => sample.Failed), samples.Count - shed),
            StatusCodes: samples.GroupBy(sample => sample.StatusCode).OrderBy(group => group.Key).ToDictionary(group => group.Key, group => group.Count()),
            StatusClasses: samples.GroupBy(sample => sample.StatusClass).OrderBy(group => group.Key).ToDictionary(group => group.Key, group => group.Count()),
            FallbackShare: Share(fallbacks, verifiedOk),
            SuccessRate: Share(samples.Count(sample => sample.Succeeded), samples.Count - shed),
            P95ByKind: samples.GroupBy(sample => sample.Kind).ToDictionary(
                group => group.Key, group => LatencyPercentiles.Of(group.Select(sample => sample.Latency)).At(95)),
            StatusCodesByKind: samples.GroupBy(sample => sample.Kind).ToDictionary(
                group => group.Key,
                group => (IReadOnlyDictionary<int, int>)group.GroupBy(sample => sample.StatusCode).OrderBy(codes => codes.Key)
                    .ToDictionary(codes => codes.Key, codes => codes.Count())),
            Replicas: samples.Where(sample => sample.Replica is not null).GroupBy(sample => sample.Replica!).OrderBy(group => group.Key)
                .ToDictionary(group => group.Key, group => group.Count()),
            FirstFailures: [.. samples.Where(sample => sample.Failed).OrderBy(sample => sample.IntendedAt).Take(FailureExamples)],
            ShedByKind: samples.Where(sample => sample.Shed).GroupBy(sample => sample.Kind).ToDictionary(group => group.Key, group => group.Count()),
            ShedByReason: samples.Where(sample => sample.Shed).GroupBy(sample => sample.ShedReason!).OrderBy(group => group.Key, StringComparer.Ordinal)
                .ToDictionary(group => group.Key, group => group.Count()),
            Affected: samples.Count(sample => sample.Injected is not null))
        {
            Samples = samples,
            Duration = duration,
        };
    }

    /// <summary>The share of the requests a call fault touched (the API marked them): the blast radius, measured.</summary>
    public double AffectedShare => Share(Affected, Requests);

    /// <summary>
    /// The same figures over the requests a call fault touched (<c>affected</c>), over the others (<c>unaffected</c>), or
    /// over all (null or <c>all</c>).
    /// </summary>
    public PhaseStatistics Among(string? requests) => requests switch
    {
        null or "all" => this,
        "affected" => From([.. Samples.Where(sample => sample.Injected is not null)], Duration),
        "unaffected" => From([.. Samples.Where(sample => sample.Injected is null)], Duration),
        _ => throw new ArgumentOutOfRangeException(nameof(requests), requests, "allowed: all, affected, unaffected"),
    };

    private IReadOnlyCollection<LoadSample> Samples { get; init; } = [];

    private TimeSpan Duration { get; init; }

    /// <summary>How many requests the API shed on purpose.</summary>
    public int Shed => ShedByKind.Values.Sum();

    /// <summary>How many requests the load generator did not send: its in-flight limit was reached (counted as failed).</summary>
    public int NotSent => StatusClasses.TryGetValue("not-sent", out var count) ? count : 0;

    /// <summary>How many requests got this status (0: no answer).</summary>
    public int CountOf(int statusCode) => StatusCodes.TryGetValue(statusCode, out var count) ? count : 0;

    /// <summary>Share of the requests of one kind answered with one of <paramref name="statusCodes"/>; 0 with none of that kind.</summary>
    public double ShareOf(RequestKind kind, params int[] statusCodes) =>
        StatusCodesByKind.TryGetValue(kind, out var codes) && codes.Values.Sum() is > 0 and var total
            ? (double)codes.Where(pair => statusCodes.Contains(pair.Key)).Sum(pair => pair.Value) / total
            : 0;

    /// <summary>Share of the requests of one kind the API shed on purpose (503 with <c>X-Shed</c>); 0 with none of that kind.</summary>
    public double ShedShareOf(RequestKind kind) =>
        ShedByKind.TryGetValue(kind, out var shed) && StatusCodesByKind.TryGetValue(kind, out var codes)
            ? (double)shed / codes.Values.Sum()
            : 0;

    /// <summary>Share of the requests of one kind answered 2xx; 0 with none of that kind.</summary>
    public double SuccessRateOf(RequestKind kind) =>
        StatusCodesByKind.TryGetValue(kind, out var codes) && codes.Values.Sum() is > 0 and var total
            ? (double)codes.Where(pair => pair.Key is >= 200 and < 300).Sum(pair => pair.Value) / total
            : 0;

    /// <summary>Share of the errors (5xx and no answer) that were one of <paramref name="statusCodes"/>; 1 with no errors.</summary>
    public double ShareOfErrorsAnswered(params int[] statusCodes)
    {
        var errors = StatusCodes.Where(pair => pair.Key is 0 or >= 500).Sum(pair => pair.Value);
        return errors == 0 ? 1 : (double)statusCodes.Sum(CountOf) / errors;
    }

    /// <summary>How many replicas answered at least <paramref name="minShare"/> of the answers that named one.</summary>
    public int ReplicasServing(double minShare)
    {
        var answered = Replicas.Values.Sum();
        return Replicas.Values.Count(count => count > 0 && (double)count / answered >= minShare);
    }

    private static double Share(int part, int whole) => whole == 0 ? 0 : (double)part / whole;
}
