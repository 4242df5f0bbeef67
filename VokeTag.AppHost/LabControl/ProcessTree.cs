using System.Diagnostics;
using System.Globalization;

namespace VokeTag.AppHost.LabControl;

/// <summary>Kills a resource instance's process and its children at once (SIGKILL), the way a crash ends it.</summary>
public static class ProcessTree
{
    private const string PidProperty = "executable.pid";

    /// <returns>The pid killed, or null when the instance has no process (e.g. a container) or it is already gone.</returns>
    public static int? Kill(ResourceEvent instance)
    {
        // A project runs as `dotnet run …` with the app as its child: the whole tree goes, or the app would live on.
        if (instance.Snapshot.Properties.FirstOrDefault(property => property.Name == PidProperty)?.Value is not { } value
            || !int.TryParse(Convert.ToString(value, CultureInfo.InvariantCulture), out var pid))
        {
            return null;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            return pid;
        }
        catch (ArgumentException)
        {
            return null; // exited already
        }
    }
}
