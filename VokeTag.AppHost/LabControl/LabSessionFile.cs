using System.Text.Json;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.LabControl;

/// <summary>How a running lab is found from another terminal: who runs it, its control address and secret, its dashboard.</summary>
/// <param name="StartedAt">The AppHost's start time: with the pid, what tells this lab from a later process with the same pid.</param>
/// <param name="SessionId">The id every process of this lab carries in <c>VOKETAG_LAB_SESSION</c>.</param>
public sealed record LabSession(int Pid, DateTimeOffset StartedAt, string SessionId, Uri ControlUrl, string Secret, string? DashboardUrl)
{
    public bool IsRunning => LabInstance.IsAlive(Pid, StartedAt);

    public string Describe() =>
        $"AppHost pid {Pid}, started {StartedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss}" + (DashboardUrl is null ? "" : $", dashboard {DashboardUrl}");
}

/// <summary>
/// One file per running AppHost under <c>&lt;temp&gt;/voketag-lab/sessions</c> (a folder only its owner may open, 0700;
/// the file itself 0600). It holds the lab control address and its per-start secret, so that the emergency stop and
/// the cleanup command can reach the lab from another terminal. Deleted when the lab stops; files of AppHosts that died
/// are ignored and removed.
/// </summary>
public static class LabSessionFile
{
    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "voketag-lab", "sessions");

    public static void Write(LabSession session)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
        }
        else
        {
            System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            File.SetUnixFileMode(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // also when it existed
        }

        using var file = new FileStream(PathOf(session.Pid), FileMode.Create, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        JsonSerializer.Serialize(file, session);
    }

    public static void Delete(int pid) => File.Delete(PathOf(pid));

    /// <summary>The sessions of AppHosts that are still running (same pid and same start time).</summary>
    public static IReadOnlyList<LabSession> FindRunning()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return [];
        }

        var running = new List<LabSession>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            try
            {
                var session = JsonSerializer.Deserialize<LabSession>(File.ReadAllText(path));
                if (session is { SessionId: not null } && session.IsRunning)
                {
                    running.Add(session);
                }
                else
                {
                    File.Delete(path);
                }
            }
            catch (Exception exception) when (exception is JsonException or IOException or UnauthorizedAccessException)
            {
                // Another user's lab, or a file being written: not ours to stop.
            }
        }

        return running;
    }

    private static string PathOf(int pid) => Path.Combine(Directory, $"{pid}.json");
}
