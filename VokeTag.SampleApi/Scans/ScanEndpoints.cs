using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using VokeTag.SampleApi.Problems;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Shedding;
using VokeTag.SampleApi.Tags;
using VokeTag.SampleApi.Validation;

namespace VokeTag.SampleApi.Scans;

public static class ScanEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotency-Replayed";

    public static IEndpointRouteBuilder MapScanEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/tags/{id}/scans", RecordAsync)
            .WithName("RecordScan")
            .WithDescription("Records a scan. 2xx means committed; the same Idempotency-Key twice stores one row.");
        app.MapGet("/tags/{id}/scans", HistoryAsync)
            .RequireRateLimiting(LoadShedding.NonCritical) // non-critical: shed first under pressure
            .WithName("ScanHistory")
            .WithDescription("A tag's scan count and latest scans (non-critical, heavier read).");
        return app;
    }

    private static async Task<Results<Created<Scan>, Ok<Scan>, ProblemHttpResult>> RecordAsync(
        string id,
        [FromHeader(Name = IdempotencyKeyHeader)] string? idempotencyKey,
        [FromBody] ScanRequest? request,
        ScanStore scans,
        IOptions<ScanSettings> settings,
        TimeProvider time,
        ILogger<ScanStore> logger,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (!TagId.TryParse(id, out var tagId))
        {
            return LabProblems.InvalidTagId(id);
        }

        if (idempotencyKey is not null && !IsValidIdempotencyKey(idempotencyKey))
        {
            return LabProblems.InvalidIdempotencyKey();
        }

        if (settings.Value.ValidateLocation && request?.Location is { } location
            && TextRules.Problem(location, LabProblems.MaxLocationLength) is { } problem)
        {
            return LabProblems.InvalidField("location", problem);
        }

        if (settings.Value.AcknowledgeBeforeCommit)
        {
            // The broken variant the ledger must catch: acknowledged now, written maybe.
            _ = WriteLaterAsync(scans, tagId, idempotencyKey, request?.Location, logger);
            return TypedResults.Created($"/tags/{tagId}/scans", new Scan(0, tagId.Value, request?.Location, time.GetUtcNow()));
        }

        ScanOutcome outcome;
        Scan? scan;
        try
        {
            (outcome, scan) = await scans.RecordAsync(tagId, idempotencyKey, request?.Location, cancellationToken);
        }
        catch (DependencyRejectedException rejected)
        {
            return TypedResults.Problem(ProblemMapping.Refused(rejected, fields: "tag id, Idempotency-Key, location"));
        }

        switch (outcome)
        {
            case ScanOutcome.Created:
                return TypedResults.Created($"/tags/{tagId}/scans/{scan!.ScanId}", scan);
            case ScanOutcome.Replayed:
                context.Response.Headers[ReplayedHeader] = "true";
                return TypedResults.Ok(scan!);
            case ScanOutcome.KeyReusedForAnotherTag:
                return LabProblems.IdempotencyKeyConflict(idempotencyKey!, scan!.TagId);
            default:
                return LabProblems.TagNotFound(tagId);
        }
    }

    private static async Task WriteLaterAsync(ScanStore scans, TagId tagId, string? idempotencyKey, string? location, ILogger logger)
    {
        try
        {
            await scans.RecordAsync(tagId, idempotencyKey, location, CancellationToken.None);
        }
        catch (Exception exception) when (exception is DependencyUnavailableException or DependencyRejectedException)
        {
            logger.LogWarning("Acknowledged scan of {TagId} lost: {Reason}", tagId, exception.Message);
        }
    }

    private static async Task<Results<Ok<ScanHistory>, ProblemHttpResult>> HistoryAsync(
        string id, ScanStore scans, CancellationToken cancellationToken)
    {
        if (!TagId.TryParse(id, out var tagId))
        {
            return LabProblems.InvalidTagId(id);
        }

        return await scans.HistoryAsync(tagId, cancellationToken) is { } history
            ? TypedResults.Ok(history)
            : LabProblems.TagNotFound(tagId);
    }

    internal static bool IsValidIdempotencyKey(string key) =>
        key.Length is > 0 and <= LabProblems.MaxIdempotencyKeyLength && key.All(c => c is > ' ' and <= '~');
}
