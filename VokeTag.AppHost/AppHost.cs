using VokeTag.AppHost.Containers;
using VokeTag.AppHost.FaultProxy;
using VokeTag.AppHost.Headless;
using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;
using VokeTag.AppHost.Postgres;
using VokeTag.AppHost.Redis;
using VokeTag.AppHost.Supervision;

var builder = DistributedApplication.CreateBuilder(args);

if (builder.Configuration[EmergencyStopCommand.Setting] is not null)
{
    return await EmergencyStopCommand.RunAsync(); // another terminal's lab: stop its run and undo every fault
}

if (builder.Configuration[CleanupCommand.Setting] is not null)
{
    return await CleanupCommand.RunAsync(); // processes of a lab whose AppHost died, and nothing else
}

if (ExperimentFilesCommand.Requested(builder.Configuration))
{
    return ExperimentFilesCommand.Run(builder.Configuration, builder.AppHostDirectory, Console.Out); // no lab needed
}

if (KubernetesExportCommand.Requested(builder.Configuration))
{
    return KubernetesExportCommand.Run(builder.Configuration, builder.AppHostDirectory, Console.Out, Console.Error); // no lab needed
}

if (SingleLabCheck.Refusal(builder) is { } alreadyRunning)
{
    Console.Error.WriteLine($"The lab cannot start: {alreadyRunning}");
    return 1;
}

LabPlan lab;
HeadlessRunSettings? headless;
GameDaySettings? gameDay;
try
{
    gameDay = GameDaySettings.Read(builder.Configuration, builder.AppHostDirectory); // first: it refuses Chaos:Run beside it
    headless = HeadlessRunSettings.Read(builder.Configuration, builder.AppHostDirectory);
}
catch (LabSetupException problem)
{
    Console.Error.WriteLine(problem);
    return HeadlessRun.RequestRefused;
}

if (headless is not null
    && !ExperimentFilesCommand.CheckRun(headless.Experiments, ExperimentFilesCommand.Folder(builder.Configuration, builder.AppHostDirectory), Console.Error))
{
    Console.Error.WriteLine("chaos: nothing started; fix the experiments named above (Chaos:Validate=<file> checks a file alone).");
    return HeadlessRun.RequestRefused;
}

bool weakened;
try
{
    weakened = WeakenedLab.Apply(builder.Configuration); // before anything reads the settings it implies
    lab = LabPlan.Resolve(builder.Configuration);
}
catch (LabSetupException problem)
{
    Console.Error.WriteLine(problem);
    return 1;
}

Console.WriteLine(lab.Describe());
ExperimentFilesCommand.ReportProblems(ExperimentFilesCommand.Folder(builder.Configuration, builder.AppHostDirectory), Console.Out);
if (weakened)
{
    Console.WriteLine($"Weakened API ({WeakenedLab.Setting}=true): every experiment should fail against it.");
}

if (lab.ContainerRuntime is { } containerRuntime)
{
    builder.Configuration[ContainerRuntimeProbe.RuntimeVariable] = containerRuntime; // the engine that answered, for Aspire too
    LabContainers.SweepAndCleanUpOnExit(builder, containerRuntime);
}
builder.MarkLabProcesses(); // VOKETAG_LAB_SESSION in every process the lab starts, for Chaos:Cleanup

// Backing services
var cache = builder.AddLabRedis("cache", lab);
var voketagDb = builder.AddLabPostgres("db", "voketag", lab);

// Fault proxies on the API's paths to both (pass-through until an experiment adds a fault)
var cacheProxy = builder.AddFaultProxy("cache-proxy", cache, ConnectionStringShape.Redis);
var dbProxy = builder.AddFaultProxy("db-proxy", voketagDb, ConnectionStringShape.Postgres);

// The reference VokeTag API
var api = builder.AddProject<Projects.VokeTag_SampleApi>("api")
    .WithReplicas(2)
    .WithoutHttpsCertificate() // the lab is plain http on loopback: no developer certificate, no dashboard warning about one
    // A replica started while its stores are down (the crash supervisor after a region outage) waits for them, in the
    // test host too, whose default is to give up at once.
    .WithReference(cacheProxy, connectionName: "cache").WaitFor(cache, WaitBehavior.WaitOnResourceUnavailable)
    .WithReference(dbProxy, connectionName: "voketag").WaitFor(voketagDb, WaitBehavior.WaitOnResourceUnavailable)
    .WithSettingsFrom(builder.Configuration)
    .WithRestartOnCrash(lab.RestartCrashed)
    .WithDefaultSocketCompletions() // the fault proxies' setting (launch profile) is the AppHost's, not the API's
    .WithChaosHooks()
    .WithRedeploys(postgres: dbProxy, redis: cacheProxy)
    .WithHttpHealthCheck("/health");

// Chaos
builder.AddProject<Projects.VokeTag_ChaosWorker>("chaos")
    .WithoutHttpsCertificate()
    .WithReference(api).WaitFor(api)
    .WithReference(voketagDb) // the write ledger reads PostgreSQL directly, not through db-proxy
    .WithLabControl()
    .WithEnvironment("Chaos__Experiments", ExperimentFilesCommand.Folder(builder.Configuration, builder.AppHostDirectory))
    .WithChaosCommands(ExperimentFilesCommand.Folder(builder.Configuration, builder.AppHostDirectory))
    .WithReports()
    .WithGameDayCommands()
    .WithInlineSocketCompletions() // the load generator is an instrument: it reads each answer as it arrives
    .WithRestartOnCrash(lab.RestartCrashed)
    .WithHeadlessRun(headless)
    .WithHeadlessGameDay(gameDay)
    .WithEnvironment("Chaos__RunsDirectory", HeadlessRunSettings.RunsDirectory(builder.Configuration, builder.AppHostDirectory))
    .WithHttpHealthCheck("/health");

if (lab.ContainerRuntime is { } engine)
{
    try
    {
        await ContainerPreflight.CheckAsync(engine, builder.Resources.OfType<ContainerResource>());
    }
    catch (LabSetupException problem)
    {
        Console.Error.WriteLine(problem); // names the resource, the image and the engine's message: no silent wait
        return 1;
    }
}

await builder.Build().RunAsync();
return Environment.ExitCode; // a headless run or game day sets it to its verdict
