using System.Diagnostics;
using Xunit.Abstractions;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>Runs the AppHost as a user does, <c>dotnet run --project VokeTag.AppHost -- …</c>, bounded in time.</summary>
public static class AppHostCli
{
    private static readonly TimeSpan RunLimit = TimeSpan.FromMinutes(5);

    /// <param name="environment">Variables to set for the AppHost, e.g. another <c>CONTAINERS_CONF</c>.</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string[] settings, ITestOutputHelper output, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(settings);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The AppHost did not exit within {RunLimit}.");
        }

        var text = await stdout + await stderr;
        output.WriteLine(string.Join(Environment.NewLine, text.Split('\n').Where(line => line.StartsWith("chaos:", StringComparison.Ordinal) || line.Contains("PASS") || line.Contains("FAIL") || line.Contains("cannot"))));
        return (process.ExitCode, text);
    }

    /// <summary>Starts the lab as a user does and leaves it running; the caller stops it (and the test's limit kills it).</summary>
    public static Process Start(string[] settings) => Process.Start(StartInfo(settings))!;

    private static ProcessStartInfo StartInfo(string[] settings)
    {
        var binary = new DirectoryInfo(AppContext.BaseDirectory); // …/tests/VokeTag.AppHost.Tests/bin/<Configuration>/net10.0/
        var configuration = binary.Parent!.Name;
        var repository = binary;
        while (!File.Exists(Path.Combine(repository.FullName, "VokeTag.Lab.sln")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException($"No VokeTag.Lab.sln above {AppContext.BaseDirectory}");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(repository.FullName, "VokeTag.AppHost"), "--no-build", "-c", configuration, "--", "Lab:Runtime=process" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        return start;
    }
}
