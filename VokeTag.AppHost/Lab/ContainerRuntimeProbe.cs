using System.Diagnostics;

namespace VokeTag.AppHost.Lab;

/// <summary>What the probe found: the runtime whose engine answered (or none), and what it tried, for the refusal.</summary>
/// <param name="Tried">One line per runtime asked, e.g. "podman: 'podman info' failed (exit 125): …".</param>
public sealed record ContainerProbe(string? Runtime, IReadOnlyList<string> Tried)
{
    public string Describe() => string.Join("; ", Tried);
}

/// <summary>
/// Asks Docker, then Podman (or only the one <c>ASPIRE_CONTAINER_RUNTIME</c> names), whether an engine answers — not
/// just whether the client is installed. Each is asked in its own terms: Docker's <c>info</c> has
/// <c>.ServerVersion</c>, Podman's has <c>.Version.Version</c> and fails on the other.
/// </summary>
public static class ContainerRuntimeProbe
{
    public const string RuntimeVariable = "ASPIRE_CONTAINER_RUNTIME";
    private static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(10);

    public static ContainerProbe FindAnsweringRuntime() =>
        Probe(Environment.GetEnvironmentVariable(RuntimeVariable), Ask);

    /// <param name="ask">Runs a command and returns its exit code and error text, or null when it is not installed.</param>
    public static ContainerProbe Probe(string? preferred, Func<string, string[], (int ExitCode, string Errors)?> ask)
    {
        string[] candidates = preferred is { Length: > 0 } ? [preferred] : ["docker", "podman"];
        var tried = new List<string>();
        foreach (var runtime in candidates)
        {
            string[] arguments = ["info", "--format", runtime == "podman" ? "{{.Version.Version}}" : "{{.ServerVersion}}"];
            var answer = ask(runtime, arguments);
            if (answer is (0, _))
            {
                return new ContainerProbe(runtime, tried);
            }

            tried.Add(answer is { } failed
                ? $"{runtime}: '{runtime} info' failed (exit {failed.ExitCode}): {FirstLine(failed.Errors)}"
                : $"{runtime}: not installed");
        }

        if (preferred is { Length: > 0 })
        {
            tried.Add($"only {preferred} was asked, because {RuntimeVariable}={preferred}");
        }

        return new ContainerProbe(null, tried);
    }

    private static (int, string)? Ask(string command, string[] arguments)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null)
            {
                return null;
            }

            var errors = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(AnswerWithin))
            {
                process.Kill(entireProcessTree: true);
                return (-1, $"no answer within {AnswerWithin.TotalSeconds:0} s");
            }

            return (process.ExitCode, errors.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null; // not installed
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no message";
}
