using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;
using VokeTag.AppHost.Postgres;
using VokeTag.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);

LabPlan lab;
try
{
    lab = LabPlan.Resolve(builder.Configuration);
}
catch (LabSetupException problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

Console.WriteLine(lab.Describe());

// Backing services
var cache = builder.AddLabRedis("cache", lab);
var voketagDb = builder.AddLabPostgres("db", "voketag", lab);

// The reference VokeTag API
var api = builder.AddProject<Projects.VokeTag_SampleApi>("api")
    .WithReplicas(2)
    .WithReference(cache).WaitFor(cache)
    .WithReference(voketagDb).WaitFor(voketagDb)
    .WithSettingsFrom(builder.Configuration)
    .WithHttpHealthCheck("/health");

// Chaos
builder.AddProject<Projects.VokeTag_ChaosWorker>("chaos")
    .WithReference(api).WaitFor(api)
    .WithLabControl()
    .WithChaosCommands()
    .WithEnvironment("Chaos__RunsDirectory", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "runs")))
    .WithHttpHealthCheck("/health");

builder.Build().Run();
return 0;
