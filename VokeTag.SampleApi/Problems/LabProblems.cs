using Microsoft.AspNetCore.Http.HttpResults;
using VokeTag.SampleApi.Tags;
using VokeTag.SampleApi.Validation;

namespace VokeTag.SampleApi.Problems;

/// <summary>The RFC 7807 answers the endpoints give for bad input; dependency failures are mapped by <see cref="ProblemMapping"/>.</summary>
public static class LabProblems
{
    public const int MaxIdempotencyKeyLength = 100;
    public const int MaxLocationLength = 200;

    public static ProblemHttpResult InvalidTagId(string raw) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed tag id",
        detail: $"'{TextRules.Echo(raw)}' is not a tag id; expected {TagId.Format}.");

    public static ProblemHttpResult TagNotFound(TagId id) => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Tag not found",
        detail: $"No tag {id} exists.");

    public static ProblemHttpResult InvalidIdempotencyKey() => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "Malformed Idempotency-Key",
        detail: $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} visible ASCII characters.");

    /// <param name="problem">What is wrong with it, as <see cref="TextRules.Problem"/> says.</param>
    public static ProblemHttpResult InvalidField(string field, string problem) => TypedResults.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: $"Invalid {field}",
        detail: $"{field} {problem}.");

    public static ProblemHttpResult IdempotencyKeyConflict(string key, string otherTag) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict,
        title: "Idempotency-Key already used",
        detail: $"Idempotency-Key '{TextRules.Echo(key, MaxIdempotencyKeyLength)}' already recorded a scan of {otherTag}; use a new key for a new scan.");
}
