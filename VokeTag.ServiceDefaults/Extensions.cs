using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every lab service shares: OpenTelemetry to the Aspire dashboard, health endpoints, service discovery,
/// and resilient outgoing HTTP.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>The API's read-only state for the worker's probes: polled every 250 ms, so traced it would bury the runs.</summary>
    public const string DiagnosticsEndpointPath = "/diagnostics";

    /// <summary>
    /// The API's chaos hooks (the worker sets faults through them): the fault action's own span says what it did, and a
    /// hidden game-day round must not show it in the API's spans.
    /// </summary>
    public const string ChaosHooksPath = "/chaos";

    /// <summary>
    /// An <see cref="HttpRequestOptionsKey{TValue}"/> name: a request marked <c>true</c> gets no client span (polls such as
    /// lease renewals and usage readings, several a second during a run).
    /// </summary>
    public static readonly HttpRequestOptionsKey<bool> Untraced = new("VokeTag.Untraced");
    private const string LiveTag = "live";
    private const string ChaosRunIdBaggage = "chaos.run_id";
    private const string OtlpExportTimeoutKey = "OTEL_EXPORTER_OTLP_TIMEOUT";
    private const string DefaultOtlpExportTimeoutMilliseconds = "2000";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddServiceDiscovery();

        // The one place resilience is switched on for outgoing HTTP. Chaos load uses its own client without it.
        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter("VokeTag.*"))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource("VokeTag.*")
                .AddAspNetCoreInstrumentation(options =>
                {
                    // Health probes every few seconds would drown the traces of real requests.
                    options.Filter = context =>
                        !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                        && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                        && !context.Request.Path.StartsWithSegments(DiagnosticsEndpointPath)
                        && !context.Request.Path.StartsWithSegments(ChaosHooksPath);
                    // Chaos load carries its run id as baggage: make it a tag so the dashboard can filter by run.
                    options.EnrichWithHttpRequest = (activity, _) =>
                    {
                        if (activity.GetBaggageItem(ChaosRunIdBaggage) is { } runId)
                        {
                            activity.SetTag(ChaosRunIdBaggage, runId);
                        }
                    };
                })
                .AddHttpClientInstrumentation(options =>
                    options.FilterHttpRequestMessage = request => !request.Options.TryGetValue(Untraced, out var untraced) || !untraced));

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            // The SDK's default 10 s export timeout, spent again for each signal when the dashboard does not answer,
            // makes a stop outlast the orchestrator's patience. Telemetry is best effort; stopping on time is not.
            builder.Configuration[OtlpExportTimeoutKey] ??= DefaultOtlpExportTimeoutMilliseconds;
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check) and <c>/alive</c> (the process answers). The lab listens on loopback
    /// only, so both are mapped in every environment.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions { ResponseWriter = HealthReportWriter.WriteAsync });
        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
        });

        return app;
    }
}
