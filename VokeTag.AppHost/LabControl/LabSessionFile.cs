using System.Diagnostics;
using System.Text.Json;

namespace VokeTag.AppHost.LabControl;

/// <summary>How a running lab is found from another terminal: its control address and secret.</summary>
public sealed record LabSession(int Pid, Uri ControlUrl, string Secret);

/// <summary>
/// One file per running AppHost under <c>&lt;temp&gt;/voketag-lab/sessions</c>, readable by its owner only, deleted when
/// the lab stops; the CLI's emergency stop reads them. Files of AppHosts that died are ignored and removed.
/// </summary>
public static class LabSessionFile
{
    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "voketag-lab", "sessions");

    public static void Write(LabSession session)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = PathOf(session.Pid);
        using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            JsonSerializer.Serialize(file, session);
        }
    }

    public static void Delete(int pid) => File.Delete(PathOf(pid));

    /// <summary>The sessions of AppHosts that are still running.</summary>
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
                if (session is not null && IsRunning(session.Pid))
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

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
