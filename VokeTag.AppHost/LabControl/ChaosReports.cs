using Microsoft.Extensions.Configuration;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// The worker's runs index as a "Reports" link on the <c>chaos</c> resource, and the dashboard's address for the
/// reports' links into traces (they work while this lab runs: telemetry is kept in memory).
/// </summary>
public static class ChaosReports
{
    public const string IndexPath = "/reports";

    public static IResourceBuilder<ProjectResource> WithReports(this IResourceBuilder<ProjectResource> chaos)
    {
        chaos.WithUrls(context =>
        {
            if (context.Urls.FirstOrDefault(url => url.Endpoint?.EndpointName == "http") is { } http)
            {
                context.Urls.Add(new ResourceUrlAnnotation { Url = http.Url.TrimEnd('/') + IndexPath, DisplayText = "Reports", Endpoint = http.Endpoint });
            }
        });

        if (DashboardUrl(chaos.ApplicationBuilder.Configuration) is { } dashboard)
        {
            chaos.WithEnvironment("Chaos__DashboardUrl", dashboard);
        }

        return chaos;
    }

    /// <summary>The dashboard's first address (the launch profile's <c>applicationUrl</c>); none in the test host.</summary>
    public static string? DashboardUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
