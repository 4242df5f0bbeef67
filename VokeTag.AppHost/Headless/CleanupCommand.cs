using VokeTag.AppHost.Lab;
using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// <c>dotnet run --project VokeTag.AppHost -- Chaos:Cleanup=true</c>: after an AppHost died without stopping its lab
/// (<c>kill -9</c>, a crash), stops the processes that lab started and nothing else. A process is the lab's when its
/// environment carries <c>VOKETAG_LAB_SESSION</c> with the id of a session whose AppHost is gone; a running lab's
/// processes, and every process without the marker (your own Redis or PostgreSQL), are left alone. Linux (/proc).
/// </summary>
public static class CleanupCommand
{
    public const string Setting = "Chaos:Cleanup";
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    public static async Task<int> RunAsync()
    {
        if (!OperatingSystem.IsLinux())
        {
            Console.Error.WriteLine("chaos: cleanup reads /proc and runs on Linux only; elsewhere, stop left-over lab processes by hand.");
            return 1;
        }

        var live = LabSessionFile.FindRunning().Select(session => session.SessionId).ToHashSet();
        var orphans = FindLabProcesses().Where(process => !live.Contains(process.SessionId)).ToList();
        if (orphans.Count == 0)
        {
            Console.WriteLine($"chaos: no left-over lab processes ({live.Count} running lab(s) left alone).");
            return 0;
        }

        foreach (var orphan in orphans)
        {
            Console.WriteLine($"chaos: stopping pid {orphan.Pid} ({orphan.Command}) of lab session {orphan.SessionId}, whose AppHost is gone.");
            Signal(orphan.Pid, kill: false);
        }

        var deadline = DateTime.UtcNow + GracePeriod;
        while (orphans.Any(orphan => IsRunning(orphan.Pid)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100)); // poll while they shut down after SIGTERM
        }

        foreach (var stubborn in orphans.Where(orphan => IsRunning(orphan.Pid)))
        {
            Console.WriteLine($"chaos: pid {stubborn.Pid} ignored SIGTERM for {GracePeriod.TotalSeconds:0} s; killing it.");
            Signal(stubborn.Pid, kill: true);
        }

        Console.WriteLine($"chaos: cleanup done: {orphans.Count} process(es) stopped. The next lab start sweeps their data folders.");
        return 0;
    }

    /// <summary>Every process of this user that carries a lab session id in its environment.</summary>
    public static IEnumerable<(int Pid, string SessionId, string Command)> FindLabProcesses()
    {
        var marker = LabInstance.SessionVariable + "=";
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }

            string[] environment;
            string command;
            try
            {
                environment = File.ReadAllText(Path.Combine(directory, "environ")).Split('\0');
                command = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                continue; // gone meanwhile, or another user's
            }

            if (environment.FirstOrDefault(variable => variable.StartsWith(marker, StringComparison.Ordinal)) is { } session)
            {
                yield return (pid, session[marker.Length..], command.Length > 80 ? command[..80] + "…" : command);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        // A zombie (exited, not yet reaped by its parent) has no environment left to read: it is not running.
        try
        {
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].FirstOrDefault() is not ('Z' or 'X' or default(char));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void Signal(int pid, bool kill) => _ = SendSignal(pid, kill ? SigKill : SigTerm);

    private const int SigTerm = 15;
    private const int SigKill = 9;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
