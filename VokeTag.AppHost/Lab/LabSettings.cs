using Microsoft.Extensions.Configuration;

namespace VokeTag.AppHost.Lab;

/// <summary>Where Redis and PostgreSQL run: containers (Docker/Podman), local processes, or whichever works.</summary>
public enum LabRuntime
{
    Auto,
    Container,
    Process,
}

/// <summary>In process mode, which Redis: redis-server from PATH, the embedded Garnet server, or the first that exists.</summary>
public enum LabRedisServer
{
    Auto,
    RedisServer,
    Embedded,
}

/// <summary>
/// The <c>Lab</c> configuration section (appsettings.json, environment <c>Lab__Runtime</c>, or the command line
/// <c>Lab:Runtime=process</c>).
/// </summary>
/// <param name="RestartCrashed">Whether the lab starts again API replicas and the worker when they crash
/// (<c>Lab:RestartCrashed</c>, default true).</param>
/// <param name="ImageRegistry">Container mode: where Redis and PostgreSQL images come from instead of Aspire's
/// <c>docker.io</c> (<c>Lab:ImageRegistry</c>); the tests use <c>localhost/voketag-lab</c>, the stand-in images
/// <c>tests/containers/build-images.sh</c> builds. Unset: the official images.</param>
public sealed record LabSettings(LabRuntime Runtime, LabRedisServer Redis, string DataDirectory, bool RestartCrashed = true, string? ImageRegistry = null)
{
    public const string SectionName = "Lab";

    /// <summary>Reads the section; a value that is not one of the allowed names is a <see cref="LabSetupException"/>.</summary>
    public static LabSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        return new LabSettings(
            ParseChoice(section, "Runtime", LabRuntime.Auto, ["auto", "container", "process"]),
            ParseChoice(section, "Redis", LabRedisServer.Auto, ["auto", "redis-server", "embedded"]),
            section["DataDirectory"] is { Length: > 0 } directory
                ? Path.GetFullPath(directory)
                : Path.Combine(Path.GetTempPath(), "voketag-lab"),
            ParseChoice(section, "RestartCrashed", Switch.True, ["true", "false"]) == Switch.True,
            section["ImageRegistry"] is { Length: > 0 } registry ? registry.Trim() : null);
    }

    private static T ParseChoice<T>(IConfigurationSection section, string key, T defaultValue, string[] names) where T : struct, Enum
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return defaultValue;
        }

        var index = Array.FindIndex(names, name => string.Equals(name, text.Trim(), StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new LabSetupException(
                $"{SectionName}:{key} is '{text}'; allowed values: {string.Join(", ", names)}.",
                $"dotnet run --project VokeTag.AppHost -- {SectionName}:{key}={names[0]}");
        }

        return Enum.GetValues<T>()[index];
    }

    private enum Switch
    {
        True,
        False,
    }
}
