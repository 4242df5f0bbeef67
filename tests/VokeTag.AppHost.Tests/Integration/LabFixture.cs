using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The real lab in process mode: real PostgreSQL, real Redis (redis-server or the embedded Garnet server), both API
/// replicas and the worker, started once per test class through Aspire.Hosting.Testing.
/// </summary>
public abstract class LabFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The value for <c>Lab:Redis</c>.</summary>
    protected abstract string RedisServer { get; }

    /// <summary>The value for <c>Lab:Runtime</c>.</summary>
    protected virtual string Runtime => "process";

    /// <summary>More AppHost settings, e.g. <c>Lab:Api:…</c> switches that weaken the API on purpose.</summary>
    protected virtual string[] Settings => [];

    /// <summary>False when the API lets bad text through to PostgreSQL (<c>Scans:ValidateLocation=false</c>).</summary>
    public virtual bool ChecksTextAtTheEdge => true;

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>Talks to the API through Aspire's proxy, with no retries or other resilience: what a client sees.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>
    /// The experiments folder the lab reads (<c>Chaos:Experiments</c>): a copy of the checkout's <c>experiments/</c>
    /// made for this lab, so tests can add and break files without touching the checkout.
    /// </summary>
    public string ExperimentsFolder { get; } = Directory.CreateTempSubdirectory("voketag-lab-experiments-").FullName;

    public async Task InitializeAsync()
    {
        var checkout = VokeTag.Experiments.ExperimentFolder.Find(null, AppContext.BaseDirectory);
        foreach (var file in Directory.GetFiles(checkout))
        {
            File.Copy(file, Path.Combine(ExperimentsFolder, Path.GetFileName(file)));
        }

        var builder = await CreateBuilderAsync();
        App = await builder.BuildAsync();
        await App.StartAsync().WaitAsync(StartTimeout);
        Api = new HttpClient { BaseAddress = App.GetEndpoint("api", "http"), Timeout = TimeSpan.FromSeconds(10) };
        await AllHealthyAsync(StartTimeout);
    }

    /// <summary>
    /// The AppHost runs in this process; when it ends before building the lab (a refusal it printed), that text is the
    /// failure, not Aspire's bare "The entry point exited without building a DistributedApplication".
    /// </summary>
    private async Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync()
    {
        var error = Console.Error;
        var said = new StringWriter();
        Console.SetError(new TeeWriter(error, said));
        try
        {
            return await DistributedApplicationTestingBuilder.CreateAsync<Projects.VokeTag_AppHost>(
                [$"Lab:Runtime={Runtime}", $"Lab:Redis={RedisServer}", $"Chaos:Experiments={ExperimentsFolder}", .. Settings],
                (options, _) => options.DisableDashboard = true);
        }
        catch (InvalidOperationException exited) when (exited.Message.Contains("exited without building", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The lab ended before it started. It said: {said}", exited);
        }
        finally
        {
            Console.SetError(error);
        }
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        Directory.Delete(ExperimentsFolder, recursive: true);
    }

    public IResource Resource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(resource => resource.Name == name);

    /// <summary>Runs a dashboard command (start, stop, restart) through ResourceCommandService, as the dashboard does.</summary>
    public Task RunCommandAsync(string resourceName, string command) =>
        ExpectSuccessAsync(commands => commands.ExecuteCommandAsync(Resource(resourceName), command), resourceName, command);

    /// <summary>The same for one instance, e.g. one replica of the API.</summary>
    public Task RunReplicaCommandAsync(string replicaId, string command) =>
        ExpectSuccessAsync(commands => commands.ExecuteCommandAsync(replicaId, command), replicaId, command);

    public Task AllHealthyAsync(TimeSpan timeout) =>
        Task.WhenAll(new[] { "cache", "db", "voketag", "api", "chaos" }.Select(name => LabWaits.HealthyAsync(App, name, timeout)));

    private async Task ExpectSuccessAsync(Func<ResourceCommandService, Task<ExecuteCommandResult>> run, string target, string command)
    {
        var result = await run(App.Services.GetRequiredService<ResourceCommandService>());
        Assert.True(result.Success, $"'{command}' on {target} failed: {result.Message}");
    }
}

public sealed class RedisServerLab : LabFixture
{
    protected override string RedisServer => "redis-server";
}

/// <summary>
/// The embedded Garnet server, and an API that lets bad <c>location</c> text through to PostgreSQL, so the scenario
/// tests see the database's own refusal (SQLSTATE 22021) answered as the caller's fault, never as an outage.
/// </summary>
public sealed class EmbeddedRedisLab : LabFixture
{
    protected override string RedisServer => "embedded";

    protected override string[] Settings => ["Lab:Api:Scans:ValidateLocation=false"];

    public override bool ChecksTextAtTheEdge => false;
}

/// <summary>
/// The lab with an API that lacks the Redis fallback, the database breaker, both timeouts and load shedding, and that
/// acknowledges scans before committing them; and without the restart of crashed replicas: experiments must catch it.
/// </summary>
public sealed class WeakenedApiLab : LabFixture
{
    protected override string RedisServer => "redis-server";

    protected override string[] Settings => ["Lab:Weakened=true"];
}

/// <summary>
/// The lab in container mode (Podman here, Docker where it answers first), on the stand-in images that
/// <c>tests/containers/build-images.sh</c> builds under <c>localhost/voketag-lab</c> (no registry is reachable in CI).
/// </summary>
public sealed class ContainerLab : LabFixture
{
    public const string ImageRegistry = "localhost/voketag-lab";

    protected override string RedisServer => "auto";

    protected override string Runtime => "container";

    protected override string[] Settings => [$"Lab:ImageRegistry={ImageRegistry}"];
}

/// <summary>Writes to the console as before and keeps a copy of what was written.</summary>
internal sealed class TeeWriter(TextWriter console, StringWriter copy) : TextWriter
{
    public override System.Text.Encoding Encoding => console.Encoding;

    public override void Write(char value)
    {
        console.Write(value);
        lock (copy)
        {
            copy.Write(value);
        }
    }

    public override void Write(string? value)
    {
        console.Write(value);
        lock (copy)
        {
            copy.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        console.WriteLine(value);
        lock (copy)
        {
            copy.WriteLine(value);
        }
    }
}
