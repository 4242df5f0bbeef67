using System.Diagnostics;
using VokeTag.AppHost.Lab;

namespace VokeTag.AppHost.Postgres;

/// <summary>
/// A PostgreSQL cluster that belongs to one lab start: a fresh data directory under <c>Lab:DataDirectory</c>
/// (the system temp folder by default; never the user's home or the system cluster), created with initdb and
/// removed when the lab stops. When the lab runs as root, the cluster is owned and run by the <c>postgres</c> user.
/// </summary>
public sealed class LocalPostgresCluster
{
    public const string SuperUser = "postgres";
    private const string OwnerFileName = "lab-owner.pid";

    /// <param name="labDataDirectory"><c>Lab:DataDirectory</c>; each start gets a new folder inside it.</param>
    public LocalPostgresCluster(string labDataDirectory, LocalBinaries binaries)
    {
        LabDataDirectory = labDataDirectory;
        Binaries = binaries;
        RunDirectory = Path.Combine(labDataDirectory, $"pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..24]);
    }

    public string LabDataDirectory { get; }

    public LocalBinaries Binaries { get; }

    /// <summary>This start's folder: the data directory, the socket and the password file live here.</summary>
    public string RunDirectory { get; }

    public string DataDirectory => Path.Combine(RunDirectory, "data");

    public string PostgresExecutable => Path.Combine(Binaries.PostgresBinDirectory!, "postgres");

    public bool IsInitialized => File.Exists(Path.Combine(DataDirectory, "PG_VERSION"));

    /// <summary>The command and leading arguments that run a PostgreSQL program as a user PostgreSQL accepts.</summary>
    public (string Command, string[] Arguments) CommandFor(string program) => Binaries.RunningAsRoot
        ? ("setpriv", [$"--reuid={LocalBinaries.PostgresUser}", $"--regid={LocalBinaries.PostgresUser}", "--init-groups", program])
        : (program, []);

    /// <summary>
    /// Creates this start's folder (sweeping away folders of earlier starts whose AppHost is gone), then runs initdb:
    /// scram-sha-256 on TCP (the connection string's password) and trust on the private socket.
    /// </summary>
    public async Task InitializeAsync(string password, CancellationToken cancellationToken)
    {
        if (IsInitialized)
        {
            return;
        }

        Directory.CreateDirectory(LabDataDirectory);
        SweepAbandonedRuns(LabDataDirectory);
        Directory.CreateDirectory(RunDirectory);
        await File.WriteAllTextAsync(Path.Combine(RunDirectory, OwnerFileName),
            Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);

        var passwordFile = Path.Combine(RunDirectory, "pwfile");
        await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
        try
        {
            if (Binaries.RunningAsRoot)
            {
                await RunAsync("chown", ["-R", $"{LocalBinaries.PostgresUser}:", RunDirectory], cancellationToken);
            }

            var (command, prefix) = CommandFor(Path.Combine(Binaries.PostgresBinDirectory!, "initdb"));
            await RunAsync(command, [.. prefix, "-D", DataDirectory, "-U", SuperUser, "--pwfile", passwordFile,
                "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"], cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public void Delete()
    {
        try
        {
            Directory.Delete(RunDirectory, recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next start sweeps what is left.
        }
    }

    private static void SweepAbandonedRuns(string labDataDirectory)
    {
        foreach (var run in Directory.GetDirectories(labDataDirectory, "pg-*"))
        {
            var ownerFile = Path.Combine(run, OwnerFileName);
            if (File.Exists(ownerFile) && int.TryParse(File.ReadAllText(ownerFile), out var owner) && IsAlive(owner))
            {
                continue;
            }

            try
            {
                Directory.Delete(run, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string command, string[] arguments, CancellationToken cancellationToken)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new LabSetupException(
                $"{Path.GetFileName(command)} {string.Join(' ', arguments)} failed with exit code {process.ExitCode}: {await errors}{await output}",
                "check that the PostgreSQL binaries work and that the lab's data directory is writable (Lab:DataDirectory)");
        }
    }
}
