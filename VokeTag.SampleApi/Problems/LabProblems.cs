using Microsoft.AspNetCore.Http.HttpResults;
using VokeTag.SampleApi.Tags;

namespace VokeTag.SampleApi.Problems;

/// <summary>The RFC 7807 answers the endpoints give for bad input; dependency failures are mapped by <see cref="ProblemMapping"/>.</summary>
public static class LabProblems
{
    public const int MaxIdempotencyKeyLength = 100;
    public const int MaxLocationLength = 200;

    public static ProblemHttpResult InvalidTagId(string raw) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed tag id",
        detail: $"'{Shorten(raw)}' is not a tag id; expected {TagId.Format}.");

    public static ProblemHttpResult TagNotFound(TagId id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Tag not found",
        detail: $"No tag {id} exists.");

    public static ProblemHttpResult InvalidIdempotencyKey() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed Idempotency-Key",
        detail: $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");

    public static ProblemHttpResult LocationTooLong() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Invalid scan",
        detail: $"location must be at most {MaxLocationLength} characters.");

    public static ProblemHttpResult IdempotencyKeyConflict(string key, string otherTag) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Idempotency-Key already used",
        detail: $"Idempotency-Key '{key}' already recorded a scan of {otherTag}; use a new key for a new scan.");

    private static string Shorten(string raw) => raw.Length <= 40 ? raw : raw[..40] + "…";
}
