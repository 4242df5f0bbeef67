using VokeTag.ChaosWorker;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddHttpClient<LabProbe>(client => client.BaseAddress = new Uri("http://api"));
builder.Services.AddHostedService(provider => provider.GetRequiredService<LabProbe>());

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapGet("/", () => TypedResults.Ok(new { status = "idle", experiments = Array.Empty<string>() }))
    .WithDescription("The worker's state. Experiments arrive with the experiments issue.");

app.Run();
