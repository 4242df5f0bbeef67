using VokeTag.AppHost.Lab;
using VokeTag.AppHost.Postgres;
using VokeTag.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

LabSettings settings;
LabRuntime runtime;
LocalBinaries binaries;
try
{
    settings = LabSettings.Read(builder.Configuration);
    binaries = LocalBinaries.Find();
    runtime = LabRuntimeSelector.Select(settings.Runtime, ContainerRuntimeProbe.FindAnsweringRuntime, () => binaries);
}
catch (LabSetupException problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

Console.WriteLine($"VokeTag lab: Redis and PostgreSQL run as {(runtime == LabRuntime.Container ? "containers" : "local processes")} (Lab:Runtime={settings.Runtime.ToString().ToLowerInvariant()}).");

// Backing services
var cache = builder.AddLabRedis("cache", settings, runtime, binaries);
var voketagDb = builder.AddLabPostgres("db", "voketag", settings, runtime, binaries);

// The reference VokeTag API
var api = builder.AddProject<Projects.VokeTag_SampleApi>("api")
    .WithReplicas(2)
    .WithReference(cache).WaitFor(cache)
    .WithReference(voketagDb).WaitFor(voketagDb)
    .WithHttpHealthCheck("/health");

// Chaos
builder.AddProject<Projects.VokeTag_ChaosWorker>("chaos")
    .WithReference(api).WaitFor(api)
    .WithHttpHealthCheck("/health");

builder.Build().Run();
return 0;
