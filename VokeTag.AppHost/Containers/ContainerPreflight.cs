using System.Diagnostics;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Containers;

/// <summary>
/// Before a container-mode lab starts: can the engine start a container from each image the lab uses? Aspire waits
/// for a container that cannot start (an image the engine cannot get, an OCI runtime that fails) without a word on
/// the console — measured here, over five minutes in <c>Starting</c>. This check pulls what is missing (the first
/// start, with a line saying so) and runs a throw-away container of each image, so a broken engine ends the start
/// at once with the resource, the image and the engine's own message named.
/// </summary>
public static class ContainerPreflight
{
    private static readonly TimeSpan PullLimit = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(1);

    /// <exception cref="LabSetupException">A resource's image cannot be pulled or started; the message says which and why.</exception>
    public static async Task CheckAsync(string runtime, IEnumerable<ContainerResource> resources)
    {
        foreach (var resource in resources)
        {
            if (!resource.TryGetLastAnnotation<ContainerImageAnnotation>(out var annotation))
            {
                continue;
            }

            var image = Reference(annotation);
            if ((await RunAsync(runtime, ["image", "inspect", "--format", "{{.Id}}", image], RunLimit)).ExitCode != 0)
            {
                Console.WriteLine($"VokeTag lab: pulling {image} for {resource.Name} with {runtime} (first start only)…");
                var pull = await RunAsync(runtime, ["pull", image], PullLimit);
                if (pull.ExitCode != 0)
                {
                    throw new LabSetupException($"{resource.Name}: {runtime} could not pull {image}: {pull.Message}", Fix(runtime, image));
                }
            }

            // A container that starts and exits at once: the OCI runtime, cgroups, ulimits and the image's layers all work.
            var start = await RunAsync(runtime,
                ["run", "--rm", "--label", $"{LabContainers.SessionLabel}={LabInstance.SessionId}", "--entrypoint", "/bin/sh", image, "-c", "exit 0"], RunLimit);
            if (start.ExitCode != 0)
            {
                throw new LabSetupException($"{resource.Name}: {runtime} could not start a container from {image}: {start.Message}", Fix(runtime, image));
            }
        }
    }

    private static string Reference(ContainerImageAnnotation image) =>
        $"{(image.Registry is { Length: > 0 } registry ? registry + "/" : "")}{image.Image}{(image.SHA256 is { Length: > 0 } digest ? "@sha256:" + digest : ":" + (image.Tag ?? "latest"))}";

    private static string Fix(string runtime, string image) =>
        $"check that '{runtime} run --rm {image}' works in this shell (ASPIRE_CONTAINER_RUNTIME picks the engine); " +
        "without a registry see tests/containers/build-images.sh and Lab:ImageRegistry; or run the lab without containers: Lab:Runtime=process";

    private static async Task<(int ExitCode, string Message)> RunAsync(string runtime, string[] arguments, TimeSpan limit)
    {
        using var process = Process.Start(new ProcessStartInfo(runtime, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"'{runtime} {arguments[0]}' did not finish within {limit.TotalSeconds:0} s");
        }

        // The engine's last words: its error line, not the log noise before it.
        var lines = ((await errors) + (await output)).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (process.ExitCode, lines.LastOrDefault(line => line.StartsWith("Error", StringComparison.OrdinalIgnoreCase)) ?? lines.LastOrDefault() ?? $"exit code {process.ExitCode}");
    }
}
