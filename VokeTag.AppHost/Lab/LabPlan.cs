using Microsoft.Extensions.Configuration;

namespace VokeTag.AppHost.Lab;

/// <summary>
/// Everything decided before any resource is added: the runtime, which Redis to run and where process mode keeps
/// its files. Building it is the only step that may refuse to start the lab.
/// </summary>
/// <param name="RedisServerPath">redis-server to run in process mode; null means the embedded Garnet server.</param>
/// <param name="RestartCrashed">Start crashed API replicas and the worker again (see <c>WithRestartOnCrash</c>).</param>
public sealed record LabPlan(LabRuntime Runtime, LocalBinaries Binaries, string? RedisServerPath, string DataDirectory, bool RestartCrashed = true)
{
    /// <exception cref="LabSetupException">The configuration is invalid or the machine lacks what it asks for.</exception>
    public static LabPlan Resolve(IConfiguration configuration) =>
        Resolve(LabSettings.Read(configuration), ContainerRuntimeProbe.FindAnsweringRuntime, LocalBinaries.Find);

    public static LabPlan Resolve(LabSettings settings, Func<ContainerProbe> findContainerRuntime, Func<LocalBinaries> findLocalBinaries)
    {
        var binaries = findLocalBinaries();
        ContainerProbe? probe = null;
        var runtime = LabRuntimeSelector.Select(settings.Runtime, () => probe ??= findContainerRuntime(), () => binaries);
        var redisServer = settings.Redis switch
        {
            LabRedisServer.Embedded => null,
            LabRedisServer.RedisServer when runtime == LabRuntime.Process && binaries.RedisServer is null =>
                throw new LabSetupException(
                    "Lab:Redis is 'redis-server' but redis-server is not on PATH.",
                    "sudo apt-get install -y redis-server   (or use Lab:Redis=embedded)"),
            _ => binaries.RedisServer,
        };
        return new LabPlan(runtime, binaries, redisServer, settings.DataDirectory, settings.RestartCrashed)
        {
            ContainerRuntime = runtime == LabRuntime.Container ? probe?.Runtime : null,
            ImageRegistry = settings.ImageRegistry,
        };
    }

    /// <summary>In container mode, the registry Redis and PostgreSQL images come from; null: Aspire's (docker.io).</summary>
    public string? ImageRegistry { get; init; }

    /// <summary>In container mode, the engine that answered: "docker" or "podman" (Aspire is told to use it).</summary>
    public string? ContainerRuntime { get; init; }

    public string Describe() => Runtime == LabRuntime.Container
        ? $"VokeTag lab: Redis and PostgreSQL run as containers ({ContainerRuntime})."
        : $"VokeTag lab: Redis ({RedisServerPath ?? "embedded Garnet server"}) and PostgreSQL ({Binaries.PostgresBinDirectory}) run as local processes; data under {DataDirectory}.";
}
