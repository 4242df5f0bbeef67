namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// What validating a Chaos Toolkit file reads from the machine, as chaoslib does at validation: environment variables
/// (configuration and secrets of <c>type: env</c>) and the executables of process providers. Tests pass their own.
/// </summary>
/// <param name="Environment">The value of an environment variable, or null when it is not set.</param>
/// <param name="FindExecutable">
/// Where an executable is, like Python's <c>shutil.which</c>: a path with a slash is checked as it is, a bare name is
/// looked for on <c>PATH</c>; null when there is no executable file there.
/// </param>
public sealed record ToolkitValidationContext(Func<string, string?> Environment, Func<string, string?> FindExecutable)
{
    /// <summary>This process's environment and <c>PATH</c>.</summary>
    public static ToolkitValidationContext Default { get; } = new(System.Environment.GetEnvironmentVariable, Which);

    /// <summary>Python's <c>shutil.which(path)</c> (no <c>~</c> expansion, as chaoslib validates).</summary>
    public static string? Which(string path)
    {
        if (path.Contains('/') || path.Contains(System.IO.Path.DirectorySeparatorChar))
        {
            return IsExecutable(path) ? path : null;
        }

        var folders = (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator);
        return folders
            .Select(folder => System.IO.Path.Combine(folder.Length == 0 ? "." : folder, path))
            .FirstOrDefault(IsExecutable);
    }

    internal static bool IsExecutable(string path) =>
        File.Exists(path)
        && (OperatingSystem.IsWindows()
            || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);
}
