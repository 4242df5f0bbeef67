using System.Diagnostics;

namespace VokeTag.AppHost.Lab;

/// <summary>Asks Docker, then Podman, whether an engine answers (not just whether the client is installed).</summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(5);

    /// <returns>"docker" or "podman", or null when no engine answers.</returns>
    public static string? FindAnsweringRuntime()
    {
        var preferred = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME");
        string[] candidates = preferred is { Length: > 0 } ? [preferred] : ["docker", "podman"];
        return candidates.FirstOrDefault(Answers);
    }

    private static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(AnswerWithin))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
