using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Problems;

/// <summary>
/// The one place where failures become status codes: a dependency that is down → 503 with <c>Retry-After</c>;
/// a request the framework could not read → its 400/413; anything else → a bare 500 problem, never a stack trace.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            logger.LogError(exception, "Unhandled failure on {Path}", context.Request.Path);
        }

        if (exception is DependencyUnavailableException unavailable)
        {
            context.Response.Headers.RetryAfter = RetryAfterSeconds(unavailable.RetryAfter);
        }

        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    public static ProblemDetails Map(Exception exception) => exception switch
    {
        DependencyUnavailableException unavailable => new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service temporarily unavailable",
            Detail = $"{unavailable.Dependency} is unavailable ({unavailable.Reason}); retry after {RetryAfterSeconds(unavailable.RetryAfter)} s.",
        },
        BadHttpRequestException badRequest => new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Malformed request",
            Detail = badRequest.Message,
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Unexpected error",
        },
    };

    /// <summary>Whole seconds, at least one: Retry-After has no fractions.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
