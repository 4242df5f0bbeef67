using Microsoft.Extensions.Configuration;
using VokeTag.Experiments;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// <c>Chaos:Validate=&lt;file or folder&gt;</c> and <c>Chaos:List=true</c>: check experiment files, or show what can
/// run, without starting the lab. Validate prints every problem (file:line:column: path: what was found and what is
/// allowed) and exits 0 when every file can run, 2 when one cannot.
/// </summary>
public static class ExperimentFilesCommand
{
    public const string ValidateSetting = "Chaos:Validate";
    public const string ListSetting = "Chaos:List";
    public const string FolderSetting = "Chaos:Experiments";

    /// <summary>The experiments folder: <c>Chaos:Experiments</c>, or <c>experiments/</c> in the checkout.</summary>
    public static string Folder(IConfiguration configuration, string appHostDirectory) =>
        ExperimentFolder.Find(configuration[FolderSetting], appHostDirectory);

    /// <summary>
    /// A path as the user typed it: absolute, or relative to the current folder, or to the checkout (<c>dotnet run
    /// --project</c> may start the AppHost in its project folder, not where the command was typed).
    /// </summary>
    public static string Resolve(string path, string appHostDirectory)
    {
        var typed = Path.GetFullPath(path, TypedIn);
        return Path.IsPathRooted(path) || File.Exists(typed) || Directory.Exists(typed)
            ? typed
            : Path.GetFullPath(Path.Combine(appHostDirectory, "..", path));
    }

    /// <summary>The folder the command was typed in: the shell's <c>PWD</c>, which <c>dotnet run</c> passes on unchanged.</summary>
    internal static string TypedIn =>
        Environment.GetEnvironmentVariable("PWD") is { Length: > 0 } shell && Directory.Exists(shell) ? shell : Environment.CurrentDirectory;

    public static bool Requested(IConfiguration configuration) =>
        configuration[ValidateSetting] is not null || configuration[ListSetting] is not null;

    public static int Run(IConfiguration configuration, string appHostDirectory, TextWriter output)
    {
        if (configuration[ValidateSetting] is { } target)
        {
            return Validate(string.IsNullOrWhiteSpace(target) ? Folder(configuration, appHostDirectory) : Resolve(target, appHostDirectory), output);
        }

        if (!bool.TryParse(configuration[ListSetting], out var list) || !list)
        {
            output.WriteLine($"{ListSetting} is '{configuration[ListSetting]}'; allowed: true.");
            return HeadlessRun.RequestRefused;
        }

        return List(Folder(configuration, appHostDirectory), output);
    }

    /// <summary>
    /// Checks what a headless run names before the lab starts: each name is a runnable file of the folder, each path a
    /// valid file. Prints every problem; false when there is one.
    /// </summary>
    public static bool CheckRun(IReadOnlyList<string> experiments, string folder, TextWriter output)
    {
        var catalog = ExperimentFolder.Read(folder, Shown);
        var runnable = catalog.Where(result => result.IsValid).Select(result => result.Name!).ToList();
        var fine = true;
        foreach (var item in experiments.Where(item => item != "all"))
        {
            var problems = ExperimentFileReader.IsFilePath(item)
                ? ExperimentFileReader.Read(item, Shown(item)).Problems.Select(problem => problem.ToString()).ToList()
                : runnable.Contains(item)
                    ? []
                    : catalog.FirstOrDefault(result => Path.GetFileNameWithoutExtension(result.File) == item) is { IsValid: false } broken
                        ? [.. broken.Problems.Select(problem => problem.ToString())]
                        : [$"experiment '{item}' is unknown; known: {string.Join(", ", runnable)}, or 'all', or the path of an experiment file (.yaml, .yml, .json)."];
            foreach (var problem in problems)
            {
                output.WriteLine(problem);
            }

            foreach (var warning in ExperimentFileReader.IsFilePath(item) ? ExperimentFileReader.Read(item, Shown(item)).Warnings : [])
            {
                output.WriteLine($"warning: {warning}");
            }

            fine &= problems.Count == 0;
        }

        return fine;
    }

    /// <summary>At lab start: says which files of the folder cannot run and why (nothing when all can).</summary>
    public static void ReportProblems(string folder, TextWriter output)
    {
        var broken = ExperimentFolder.Read(folder, Shown).Where(result => !result.IsValid).ToList();
        if (broken.Count == 0)
        {
            return;
        }

        output.WriteLine($"Experiments: {broken.Count} file(s) in {Shown(folder)} cannot run (the others can); fix them and use Reload experiments:");
        foreach (var problem in broken.SelectMany(result => result.Problems))
        {
            output.WriteLine($"  {problem}");
        }
    }

    public static int Validate(string path, TextWriter output)
    {
        var results = ExperimentFolder.Read(path, Shown);
        foreach (var problem in results.SelectMany(result => result.Problems))
        {
            output.WriteLine(problem);
        }

        foreach (var warning in results.SelectMany(result => result.Warnings))
        {
            output.WriteLine($"warning: {warning}");
        }

        var invalid = results.Count(result => !result.IsValid);
        output.WriteLine(invalid == 0
            ? $"{results.Count} experiment file(s) valid: {string.Join(", ", results.Select(result => result.Name))}."
            : $"{invalid} of {results.Count} experiment file(s) cannot run ({results.Sum(result => result.Problems.Count)} problem(s)).");
        return invalid == 0 ? 0 : HeadlessRun.RequestRefused;
    }

    public static int List(string folder, TextWriter output)
    {
        var results = ExperimentFolder.Read(folder, Shown);
        output.WriteLine($"Experiments in {folder}:");
        foreach (var result in results)
        {
            if (result.Definition is { } experiment)
            {
                var faults = string.Join(", ", experiment.Faults.Select(fault => $"{fault.Kind} {fault.Target}"));
                output.WriteLine($"  {experiment.Name,-22} {experiment.Title} — {faults} ({result.File})");
            }
            else if (result.Toolkit is { } toolkit)
            {
                output.WriteLine($"  {toolkit.Name,-22} {toolkit.Title} — Chaos Toolkit: {toolkit.Method.Count} method activities ({result.File})");
            }
            else
            {
                output.WriteLine($"  {"(cannot run)",-22} {result.File}: {result.Problems.Count} problem(s); see {ValidateSetting}={result.File}");
            }
        }

        output.WriteLine("Run one: dotnet run --project VokeTag.AppHost -- Chaos:Run=<name or path>");
        return 0;
    }

    /// <summary>Paths as the user would type them: relative to where the command was typed when inside it.</summary>
    internal static string Shown(string path)
    {
        var relative = Path.GetRelativePath(TypedIn, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
