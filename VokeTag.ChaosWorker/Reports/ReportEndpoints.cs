namespace VokeTag.ChaosWorker.Reports;

/// <summary>
/// The runs index and the reports themselves, read-only, for a browser: the dashboard's "Reports" link on the
/// <c>chaos</c> resource opens <c>/reports</c>. These paths need no lab secret (a browser cannot send it); they only
/// read the runs folder, and the worker listens on 127.0.0.1.
/// </summary>
public static class ReportEndpoints
{
    public const string Path = "/reports";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".md"] = "text/markdown; charset=utf-8",
        [".xml"] = "application/xml; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    };

    public static bool IsReportRead(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method) && context.Request.Path.StartsWithSegments(Path);

    public static void MapReportEndpoints(this WebApplication app)
    {
        app.MapGet(Path, (RunsIndex index) => Results.Content(index.Render(), "text/html; charset=utf-8"));

        app.MapGet($"{Path}/{{**file}}", (string file, RunReporter reporter) =>
        {
            var root = System.IO.Path.GetFullPath(reporter.RunsDirectory) + System.IO.Path.DirectorySeparatorChar;
            var full = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, file));
            return full.StartsWith(root, StringComparison.Ordinal)
                && ContentTypes.TryGetValue(System.IO.Path.GetExtension(full), out var contentType)
                && File.Exists(full)
                ? Results.File(full, contentType)
                : Results.Problem(statusCode: 404, title: "No such report", detail: $"No report '{file}' in the runs folder.");
        });
    }
}
