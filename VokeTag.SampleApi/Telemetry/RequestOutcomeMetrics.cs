namespace VokeTag.SampleApi.Telemetry;

public static class RequestOutcomeMetrics
{
    /// <summary>Counts every response by route and status class (<c>voketag.request.outcomes</c>).</summary>
    public static IApplicationBuilder UseRequestOutcomeMetrics(this IApplicationBuilder app)
    {
        var metrics = app.ApplicationServices.GetRequiredService<ApiMetrics>();
        return app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
                metrics.Responded(route, context.Response.StatusCode);
            }
        });
    }
}
