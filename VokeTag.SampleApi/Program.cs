using VokeTag.SampleApi;
using VokeTag.SampleApi.Chaos;
using VokeTag.SampleApi.Data;
using VokeTag.SampleApi.Diagnostics;
using VokeTag.SampleApi.Problems;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Scans;
using VokeTag.SampleApi.Shedding;
using VokeTag.SampleApi.Tags;
using VokeTag.SampleApi.Telemetry;

var builder = WebApplication.CreateBuilder(args);
var redeployedWith = RedeployedSettings.Apply(builder.Configuration); // before anything reads the settings

builder.AddServiceDefaults();
builder.AddLabDependencies();

builder.Services.AddProblemDetails();
builder.Services.AddExceptionHandler<ProblemMapping>();
// Bodies the API could not bind go through ProblemMapping too, in every environment.
builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = ApiLimits.MaxRequestBodyBytes);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ApiMetrics>();
builder.Services.AddSingleton<TagCache>();
builder.Services.AddSingleton<TagStore>();
builder.Services.AddSingleton<TagReader>();
builder.Services.AddSingleton<ScanStore>();
builder.Services.AddSingleton<CpuPressure>();
builder.Services.AddSingleton<PostgresPoolUsage>();
builder.Services.AddOptions<ScanSettings>().BindConfiguration(ScanSettings.SectionName);
builder.Services.AddLoadShedding(builder.Configuration);

var app = builder.Build();

app.UseRequestOutcomeMetrics(); // outermost, so it counts the status the client finally gets
app.UseReplicaHeader();
CallChaos.UseInjectedHeader(app);
app.UseRedeployedMark(redeployedWith);
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseRateLimiter();

app.MapDefaultEndpoints();
app.MapTagEndpoints();
app.MapScanEndpoints();
app.MapDiagnosticsEndpoints();
app.MapChaosHooks(builder.Configuration);

app.Run();
