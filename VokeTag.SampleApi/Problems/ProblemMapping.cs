using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Problems;

/// <summary>
/// The one place where failures become status codes: a dependency that is down → 503 with <c>Retry-After</c>; a
/// request a dependency refused → 400/409; a request the framework could not read → its 400/413/415; anything else →
/// a bare 500 problem, logged (with the SQLSTATE when PostgreSQL raised it), never a stack trace.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(exception);
        if (problem.Status == StatusCodes.Status500InternalServerError)
        {
            LogUnexpected(context, exception);
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
        DependencyRejectedException rejected => Refused(rejected, fields: null),
        BadHttpRequestException badRequest => new ProblemDetails
        {
            Status = badRequest.StatusCode,
            Title = badRequest.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => "Request body too large",
                StatusCodes.Status415UnsupportedMediaType => "Unsupported media type",
                _ => "Malformed request",
            },
            // A body that does not fit the endpoint: System.Text.Json names the field ("Path: $.location").
            Detail = badRequest.InnerException is JsonException json ? $"The body does not fit this endpoint: {json.Message}" : badRequest.Message,
        },
        _ => new ProblemDetails
        {
            Status = StatusCodes.Status500InternalServerError,
            Title = "Unexpected error",
        },
    };

    /// <summary>400 (or 409 for an integrity conflict) saying what the server refused and which fields the request sent.</summary>
    /// <param name="fields">The request's fields that reached the dependency, e.g. "location, Idempotency-Key".</param>
    public static ProblemDetails Refused(DependencyRejectedException rejected, string? fields) => new()
    {
        Status = rejected.Failure.Kind == FailureKind.Conflict ? StatusCodes.Status409Conflict : StatusCodes.Status400BadRequest,
        Title = $"Refused by {rejected.Dependency}",
        Detail = $"{rejected.Dependency} refused a value of this request ({rejected.Failure.Reason}: {rejected.ServerMessage})" +
            (fields is null ? "." : $"; the request's fields that reached it: {fields}.") + " Retrying the same request will not help.",
    };

    /// <summary>Whole seconds, at least one: Retry-After has no fractions.</summary>
    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    private void LogUnexpected(HttpContext context, Exception exception)
    {
        if (exception is PostgresException postgres)
        {
            logger.LogError(exception, "Unexpected PostgreSQL error SQLSTATE {SqlState} on {Method} {Path}",
                postgres.SqlState, context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogError(exception, "Unhandled failure on {Method} {Path}", context.Request.Method, context.Request.Path);
        }
    }
}
