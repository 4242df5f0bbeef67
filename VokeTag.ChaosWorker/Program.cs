using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.External;
using VokeTag.ChaosWorker.GameDays;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Ledger;
using VokeTag.ChaosWorker.Load;
using VokeTag.ChaosWorker.Reports;
using VokeTag.ChaosWorker.Telemetry;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
var lab = WorkerSettings.Read(builder.Configuration);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton(lab);
builder.Services.AddSingleton<ChaosTelemetry>();
builder.Services.AddSingleton(provider => new ExperimentCatalog(
    ExperimentFolder.Find(builder.Configuration["Chaos:Experiments"], builder.Environment.ContentRootPath),
    provider.GetRequiredService<ILogger<ExperimentCatalog>>()));

// Chaos traffic and control calls go through clients of their own: no retries, no other resilience in the way.
builder.Services.AddSingleton(provider => ConstantRateLoad.Create(lab.ApiAddress, provider.GetRequiredService<TimeProvider>(), remoteAllowed: lab.MeasureOnly is not null));
if (lab.MeasureOnly is { } measureOnly)
{
    // Measure-only mode: a chaos engine injects the faults; the worker measures, judges and exits with the verdict.
    builder.Services.AddSingleton(measureOnly);
    builder.Services.AddSingleton<IExternalFaults>(KubernetesChaosStatus.Create(measureOnly.Engine, measureOnly.Namespace, measureOnly.KubernetesHost));
    builder.Services.AddHostedService<MeasureOnlyRun>();
}

builder.Services.AddSingleton(provider => new ApiDiagnosticsProbe(lab.ApiAddress, provider.GetRequiredService<TimeProvider>()));
builder.Services.AddSingleton<LabResourceProbe>();
builder.Services.AddSingleton<TimelineSampler>();
builder.Services.AddSingleton(new ApiChaosHooks(lab.ApiAddress, lab.Secret));
// The write ledger reads PostgreSQL directly, never through the fault proxy.
builder.Services.AddSingleton(provider => new ScanLedger(
    builder.Configuration.GetConnectionString("voketag") is { Length: > 0 } database ? Npgsql.NpgsqlDataSource.Create(database) : null,
    provider.GetRequiredService<TimeProvider>(),
    provider.GetRequiredService<ILogger<ScanLedger>>()));
builder.Services.AddSingleton(provider => new LabControlClient(
    new HttpClient { BaseAddress = lab.ControlAddress, DefaultRequestHeaders = { { LabControlClient.SecretHeader, lab.Secret } } },
    provider.GetRequiredService<TimeProvider>()));

builder.Services.AddSingleton<VokeTag.ChaosWorker.Toolkit.ToolkitRunner>();
builder.Services.AddSingleton<ExperimentRunner>();
builder.Services.AddSingleton<RunPlanner>();
builder.Services.AddSingleton<IReportFormat, ConsoleSummary>();
builder.Services.AddSingleton<IReportFormat, JsonReport>();
builder.Services.AddSingleton<IReportFormat, JUnitReport>();
builder.Services.AddSingleton<IReportFormat, MarkdownReport>();
builder.Services.AddSingleton<IReportFormat, JournalReport>();
// report.html: charts and links; the dashboard's address comes from the AppHost when it knows it.
builder.Services.AddSingleton<IReportFormat>(provider => new VokeTag.ChaosWorker.Reports.Html.HtmlReport(builder.Configuration["Chaos:DashboardUrl"])
{
    Learning = experiment => (provider.GetRequiredService<ExperimentCatalog>().Find(experiment, out _) as VokeTag.ChaosWorker.Definitions.FileExperiment)?.Definition.Learning,
});
builder.Services.AddSingleton<RunReporter>();
builder.Services.AddSingleton<RunsIndex>();
builder.Services.AddSingleton<RunCoordinator>();
builder.Services.AddHostedService(provider => provider.GetRequiredService<RunCoordinator>());
builder.Services.AddSingleton<GameDayCoordinator>();

// Bodies the endpoints cannot read (wrong types, not JSON) become a 400 naming the field, never a bare 400 or a 500.
builder.Services.AddProblemDetails();
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);

var app = builder.Build();

app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandler = context =>
    {
        var exception = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
        return (exception is BadHttpRequestException badRequest
            ? Results.Problem(statusCode: badRequest.StatusCode, title: "Malformed request",
                detail: badRequest.InnerException is System.Text.Json.JsonException json ? $"The body is not valid JSON for this endpoint: {json.Message}" : badRequest.Message)
            : Results.Problem(statusCode: 500, title: "Unexpected error")).ExecuteAsync(context);
    },
    // A body the caller got wrong is answered, not an error of the worker's: no stack trace in its log.
    SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
});

app.UseStatusCodePages(); // unknown paths and wrong methods answer problem details too

app.Services.GetRequiredService<ExperimentCatalog>(); // read the files at start: problems show in the chaos resource's log at once
app.MapDefaultEndpoints();
app.MapExperimentEndpoints(lab.Secret);
app.MapGameDayEndpoints();
app.MapReportEndpoints();

app.Run();
