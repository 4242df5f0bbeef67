using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Containers;

/// <summary>
/// Container mode's housekeeping. Every container the lab starts carries the label <c>voketag-lab-session=&lt;id&gt;</c>
/// and PostgreSQL keeps its data in a volume named for this start (<c>voketag-lab-&lt;id&gt;-db</c>), so a stop, start,
/// restart or kill of <c>db</c> loses nothing. When the lab stops it removes its containers and volumes; a start sweeps
/// those of labs whose AppHost is gone (a <c>kill -9</c>), and never touches a running lab's or anything unlabelled.
/// </summary>
public static class LabContainers
{
    public const string SessionLabel = "voketag-lab-session";
    private const string VolumePrefix = "voketag-lab-";
    private static readonly TimeSpan CommandLimit = TimeSpan.FromSeconds(30);

    public static string DataVolumeName(string resourceName) => $"{VolumePrefix}{LabInstance.SessionId}-{resourceName}";

    /// <summary>The lab's label on the container, and its images from <c>Lab:ImageRegistry</c> when set.</summary>
    public static IResourceBuilder<T> WithLabContainerSettings<T>(this IResourceBuilder<T> resource, LabPlan lab) where T : ContainerResource
    {
        if (lab.ImageRegistry is { } registry)
        {
            resource.WithImageRegistry(registry);
        }

        return resource.WithContainerRuntimeArgs("--label", $"{SessionLabel}={LabInstance.SessionId}");
    }

    /// <summary>Removes what labs whose AppHost is gone left behind, and arranges for this lab's to go when it stops.</summary>
    public static void SweepAndCleanUpOnExit(IDistributedApplicationBuilder builder, string runtime)
    {
        var live = LabSessionFile.FindRunning().Select(session => session.SessionId).Append(LabInstance.SessionId).ToHashSet();
        var abandoned = Containers(runtime).Where(container => !live.Contains(container.Session)).Select(container => container.Id).ToList();
        var volumes = Volumes(runtime).Where(volume => !live.Any(session => volume.StartsWith($"{VolumePrefix}{session}-", StringComparison.Ordinal))).ToList();
        if (abandoned.Count + volumes.Count > 0)
        {
            Console.WriteLine($"VokeTag lab: removing {abandoned.Count} container(s) and {volumes.Count} volume(s) left by labs whose AppHost is gone.");
            Remove(runtime, abandoned, volumes);
        }

        // When the lab stops (also under Aspire.Hosting.Testing, where the process lives on), and at process exit.
        builder.Eventing.Subscribe<AfterResourcesCreatedEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() => RemoveOwn(runtime));
            return Task.CompletedTask;
        });
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RemoveOwn(runtime);
    }

    /// <summary>This lab's containers and volumes, however it stopped (Ctrl-C, SIGTERM, the end of a headless run).</summary>
    public static void RemoveOwn(string runtime)
    {
        Remove(runtime,
            Containers(runtime).Where(container => container.Session == LabInstance.SessionId).Select(container => container.Id).ToList(),
            Volumes(runtime).Where(volume => volume.StartsWith($"{VolumePrefix}{LabInstance.SessionId}-", StringComparison.Ordinal)).ToList());
    }

    /// <summary>Containers first (a volume in use cannot go), then volumes; nothing named, nothing run.</summary>
    private static void Remove(string runtime, IReadOnlyList<string> containers, IReadOnlyList<string> volumes)
    {
        if (containers.Count > 0)
        {
            Run(runtime, ["rm", "-f", .. containers], quiet: true);
        }

        if (volumes.Count > 0)
        {
            Run(runtime, ["volume", "rm", "-f", .. volumes], quiet: true);
        }
    }

    public static IEnumerable<(string Id, string Session)> Containers(string runtime) =>
        Run(runtime, ["ps", "-a", "--filter", $"label={SessionLabel}", "--format", $"{{{{.ID}}}} {{{{index .Labels \"{SessionLabel}\"}}}}"])
            .Select(line => line.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (parts[0], parts[1].Trim()));

    public static IEnumerable<string> Volumes(string runtime) =>
        Run(runtime, ["volume", "ls", "--format", "{{.Name}}"]).Where(name => name.StartsWith(VolumePrefix, StringComparison.Ordinal));

    private static IReadOnlyList<string> Run(string runtime, string[] arguments, bool quiet = false)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = process.StandardOutput.ReadToEndAsync();
            var errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CommandLimit))
            {
                process.Kill(entireProcessTree: true);
                return [];
            }

            if (process.ExitCode != 0 && !quiet)
            {
                Console.Error.WriteLine($"VokeTag lab: '{runtime} {string.Join(' ', arguments)}' failed: {errors.Result.Trim()}");
            }

            return output.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return [];
        }
    }
}
