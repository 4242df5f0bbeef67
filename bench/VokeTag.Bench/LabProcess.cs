using System.Diagnostics;
using System.Globalization;

namespace VokeTag.Bench;

/// <summary>How a benchmark ends a lab it started.</summary>
public static class LabProcess
{
    /// <summary>SIGTERM, as Ctrl-C would (the worker rolls back, the lab removes what it started); SIGKILL of the whole tree after 60 s.</summary>
    public static async Task StopAsync(Process lab)
    {
        if (lab.HasExited)
        {
            return;
        }

        using (var terminate = Process.Start("kill", ["-TERM", lab.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await terminate.WaitForExitAsync();
        }

        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await lab.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            lab.Kill(entireProcessTree: true);
            await lab.WaitForExitAsync();
        }
    }
}
