using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>Labs started as a user starts them (<see cref="AppHostCli.Start"/>): their session files, fixed ports and signals.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class LabSessions
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromMinutes(3);

    /// <summary>Waits for the session file a new lab writes once its control API listens.</summary>
    public static async Task<LabSession> NewSessionAsync(HashSet<string> before, Process lab)
    {
        using var limit = new CancellationTokenSource(StartLimit);
        while (true)
        {
            Assert.False(lab.HasExited, "the first lab exited while starting");
            if (SessionFiles().Except(before).FirstOrDefault() is { } path && await TryReadAsync(path, limit.Token) is { } session)
            {
                return session;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token); // poll while the lab starts
        }
    }

    /// <summary>Null while the lab is still writing the file (it holds it locked, or it is not complete yet).</summary>
    public static async Task<LabSession?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return JsonSerializer.Deserialize<LabSession>(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (Exception exception) when (exception is IOException or JsonException)
        {
            return null;
        }
    }

    public static HashSet<string> SessionFiles() => Directory.Exists(LabSessionFile.Directory)
        ? Directory.EnumerateFiles(LabSessionFile.Directory, "*.json").ToHashSet()
        : [];

    /// <summary>Waits until the launch profile's fixed ports (dashboard, OTLP, resource service) can be bound again.</summary>
    public static async Task FixedPortsFreeAsync()
    {
        using var limit = new CancellationTokenSource(StartLimit);
        while (new[] { 15080, 19080, 20080 }.Any(SingleLabCheck.IsTaken))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), limit.Token); // poll while the last lab's processes exit
        }
    }

    public enum Signal
    {
        Kill = 9,
        Terminate = 15,
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static extern int Kill(int pid, Signal signal);
}
