using Microsoft.AspNetCore.Http.HttpResults;
using VokeTag.SampleApi.Problems;

namespace VokeTag.SampleApi.Tags;

public static class TagEndpoints
{
    public const string ServedFromHeader = "X-Served-From";

    public static IEndpointRouteBuilder MapTagEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/tags/{id}", VerifyAsync)
            .WithName("VerifyTag")
            .WithDescription("Verifies a tag (critical path). X-Served-From says cache, database or fallback.");
        return app;
    }

    private static async Task<Results<Ok<Tag>, ProblemHttpResult>> VerifyAsync(
        string id, TagReader reader, HttpContext context, CancellationToken cancellationToken)
    {
        if (!TagId.TryParse(id, out var tagId))
        {
            return LabProblems.InvalidTagId(id);
        }

        if (await reader.FindAsync(tagId, cancellationToken) is not { } found)
        {
            return LabProblems.TagNotFound(tagId);
        }

        context.Response.Headers[ServedFromHeader] = found.Source.ToString().ToLowerInvariant();
        return TypedResults.Ok(found.Tag);
    }
}
