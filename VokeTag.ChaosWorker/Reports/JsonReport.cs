using System.Text.Json;
using System.Text.Json.Serialization;
using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>The run record with every figure, per phase, with timestamps: for tools and for comparing runs.</summary>
public sealed class JsonReport : IReportFormat
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public string FileName => "run.json";

    public string Render(ExperimentRun run) => JsonSerializer.Serialize(ToRecord(run), Options);

    /// <summary>The record as plain data (criteria carry code; their results are written as figures).</summary>
    public static object ToRecord(ExperimentRun run) => new
    {
        run.RunId,
        run.Experiment,
        run.Title,
        run.Hypothesis,
        run.Status,
        run.StartedAt,
        run.EndedAt,
        run.Error,
        run.External,
        Phases = run.Phases.Select(phase => new
        {
            phase.Name,
            phase.StartedAt,
            phase.EndedAt,
            phase.Statistics.Requests,
            phase.Statistics.ThroughputPerSecond,
            P50Ms = phase.Statistics.P50.TotalMilliseconds,
            P95Ms = phase.Statistics.P95.TotalMilliseconds,
            P99Ms = phase.Statistics.P99.TotalMilliseconds,
            MaxMs = phase.Statistics.Max.TotalMilliseconds,
            phase.Statistics.ErrorRate,
            phase.Statistics.SuccessRate,
            phase.Statistics.Shed,
            ShedByKind = phase.Statistics.ShedByKind.ToDictionary(pair => pair.Key.ToString().ToLowerInvariant(), pair => pair.Value),
            phase.Statistics.ShedByReason,
            phase.Statistics.FallbackShare,
            phase.Statistics.Affected,
            phase.Statistics.AffectedShare,
            StatusCodes = phase.Statistics.StatusCodes.ToDictionary(pair => pair.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), pair => pair.Value),
            phase.Statistics.StatusClasses,
            P95MsByKind = phase.Statistics.P95ByKind.ToDictionary(pair => pair.Key.ToString().ToLowerInvariant(), pair => pair.Value.TotalMilliseconds),
            AnswersByReplica = phase.Statistics.Replicas,
            FirstFailures = phase.Statistics.FirstFailures.Select(sample => new
            {
                AtSeconds = sample.IntendedAt.TotalSeconds,
                Kind = sample.Kind.ToString().ToLowerInvariant(),
                Status = sample.StatusCode,
                LatencyMs = sample.Latency.TotalMilliseconds,
                sample.Replica,
            }),
        }),
        run.FaultActions,
        run.BlastRadius,
        // Seconds since the run started, per second; phases and fault windows on the same axis.
        Timeline = run.Timeline is null ? null : new { run.Timeline.Points, Phases = RunWindows.Phases(run), FaultWindows = RunWindows.Faults(run) },
        RecoveryTimeSeconds = run.Figures?.RecoveryTime?.TotalSeconds,
        LatencyIncrease = run.Figures?.LatencyIncrease,
        Observations = run.Figures?.Observations,
        Holds = run.Verdict?.Holds,
        Criteria = run.Verdict?.Results.Select(result => new
        {
            result.Criterion.Name,
            result.Criterion.Statement,
            result.Measured,
            Expected = result.Criterion.Expectation,
            result.Criterion.Comparison,
            result.Criterion.Threshold,
            result.Criterion.Unit,
            result.Passed,
        }),
    };
}
