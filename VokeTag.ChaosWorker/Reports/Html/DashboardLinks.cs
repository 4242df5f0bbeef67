using System.Web;

namespace VokeTag.ChaosWorker.Reports.Html;

/// <summary>
/// Links into the Aspire dashboard for one run: its traces page filtered to the spans tagged <c>chaos.run_id</c>. The
/// dashboard's URL comes from <c>Chaos:DashboardUrl</c>; a login URL (<c>/login?t=…</c>) is kept, with the traces page as
/// its return URL.
/// </summary>
public sealed class DashboardLinks(string? dashboardUrl)
{
    public const string RunIdTag = "chaos.run_id";

    public bool Known => Base is not null;

    private Uri? Base { get; } = Uri.TryCreate(dashboardUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" ? url : null;

    /// <summary>The traces page filtered to the run, in the dashboard's own filter format (<c>field:equals:value</c>); null without a dashboard URL.</summary>
    public string? Traces(string runId)
    {
        if (Base is null)
        {
            return null;
        }

        // The dashboard URL-encodes field and value inside the filter, then the whole filter as a query value.
        var filter = $"{HttpUtility.UrlEncode(RunIdTag)}:equals:{HttpUtility.UrlEncode(runId)}";
        return Page($"/traces?filters={Uri.EscapeDataString(filter)}");
    }

    /// <summary>A dashboard page, through the login URL when the configured address is one (<c>/login?t=…</c>).</summary>
    private string? Page(string traces)
    {
        if (Base is null)
        {
            return null;
        }

        var origin = Base.GetLeftPart(UriPartial.Authority);
        return HttpUtility.ParseQueryString(Base.Query)["t"] is { } token && Base.AbsolutePath.TrimEnd('/').EndsWith("/login", StringComparison.OrdinalIgnoreCase)
            ? $"{origin}/login?t={Uri.EscapeDataString(token)}&returnUrl={Uri.EscapeDataString(traces)}"
            : $"{origin}{Base.AbsolutePath.TrimEnd('/')}{traces}";
    }

    /// <summary>The run's own trace (its phases and fault actions); null without a dashboard URL or a trace id.</summary>
    public string? Trace(string? traceId) => traceId is null ? null : Page($"/traces/detail/{Uri.EscapeDataString(traceId)}");

    /// <summary>The name the run's root span has, to search for by hand.</summary>
    public static string TraceName(string experiment, string runId) => $"chaos {experiment} {runId}";
}
