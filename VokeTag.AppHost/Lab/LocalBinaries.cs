namespace VokeTag.AppHost.Lab;

/// <summary>
/// What process mode needs from the machine: PostgreSQL's <c>initdb</c> and <c>postgres</c>, optionally
/// <c>redis-server</c> (else the embedded Garnet server), and, when the lab runs as root, a <c>postgres</c> user and
/// <c>setpriv</c> to run PostgreSQL as that user (PostgreSQL refuses to run as root).
/// </summary>
public sealed record LocalBinaries(string? PostgresBinDirectory, string? RedisServer, bool RunningAsRoot, bool CanDropToPostgresUser)
{
    public const string PostgresUser = "postgres";

    public bool IsComplete => PostgresBinDirectory is not null && (!RunningAsRoot || CanDropToPostgresUser);

    public string Missing => PostgresBinDirectory is null
        ? "PostgreSQL server binaries (initdb, postgres: not on PATH nor under /usr/lib/postgresql/*/bin)"
        : $"a way to run PostgreSQL as a non-root user (the lab runs as root; it needs user '{PostgresUser}' and setpriv)";

    public string InstallCommand => PostgresBinDirectory is null
        ? "sudo apt-get install -y postgresql   (Debian/Ubuntu; or brew install postgresql on macOS)"
        : $"apt-get install -y postgresql util-linux   (creates user '{PostgresUser}'; setpriv is in util-linux)";

    public void ThrowIfIncomplete()
    {
        if (!IsComplete)
        {
            throw new LabSetupException($"Lab:Runtime is 'process' but this machine lacks {Missing}.", InstallCommand);
        }
    }

    public static LocalBinaries Find()
    {
        var runningAsRoot = Environment.UserName == "root";
        return new LocalBinaries(
            FindPostgresBinDirectory(),
            FindOnPath("redis-server"),
            runningAsRoot,
            FindOnPath("setpriv") is not null && File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(PostgresUser + ":", StringComparison.Ordinal)));
    }

    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static string? FindPostgresBinDirectory()
    {
        // PATH may hold symlinks (e.g. /usr/local/bin/initdb): use the folder the binaries really live in.
        if (FindOnPath("initdb") is { } initdb
            && Path.GetDirectoryName(new FileInfo(initdb).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? initdb) is { } bin
            && File.Exists(Path.Combine(bin, "postgres")))
        {
            return bin;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (!Directory.Exists(debianRoot))
        {
            return null;
        }

        // The newest installed major version wins.
        return Directory.GetDirectories(debianRoot)
            .Select(version => Path.Combine(version, "bin"))
            .Where(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")))
            .OrderByDescending(bin => int.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var major) ? major : 0)
            .FirstOrDefault();
    }
}
