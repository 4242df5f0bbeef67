namespace VokeTag.Experiments;

/// <summary>A folder of experiment files (the checkout's <c>experiments/</c>, or a workshop's own), read as one.</summary>
public static class ExperimentFolder
{
    /// <summary>The schema file every experiment file refers to; a folder with it is an experiments folder.</summary>
    public const string SchemaFile = "experiment.schema.json";

    /// <summary>The experiment files of a folder, in name order (the schema left out).</summary>
    public static IReadOnlyList<string> Files(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder)
                .Where(path => ExperimentFileReader.Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()))
                .Where(path => !Path.GetFileName(path).Equals(SchemaFile, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)]
            : [];

    /// <summary>
    /// Every file of the folder read, or the one file <paramref name="path"/> names. A second file with a name already
    /// taken cannot run: names are how runs ask for experiments.
    /// </summary>
    public static IReadOnlyList<ExperimentFileResult> Read(string path, Func<string, string>? shown = null)
    {
        shown ??= file => file;
        if (File.Exists(path))
        {
            return [ExperimentFileReader.Read(path, shown(path))];
        }

        if (!Directory.Exists(path))
        {
            return [new ExperimentFileResult(shown(path), null, [new DefinitionProblem(shown(path), 1, 1, "", "no such file or folder.")])];
        }

        var results = new List<ExperimentFileResult>();
        var names = new Dictionary<string, string>();
        foreach (var file in Files(path))
        {
            var result = ExperimentFileReader.Read(file, shown(file));
            if (result.Name is { } name && !names.TryAdd(name, result.File))
            {
                // A Chaos Toolkit file is named by its file name: no key of the file holds it.
                var (where, from) = result.Toolkit is null ? ("name", "") : ("", " (from its file name)");
                result = result with
                {
                    Definition = null,
                    Toolkit = null,
                    Problems = [new DefinitionProblem(result.File, 1, 1, where, $"'{name}'{from} is the name of {names[name]} already; experiment names are unique.")],
                };
            }

            results.Add(result);
        }

        return results;
    }

    /// <summary>
    /// Where the experiments are: <paramref name="configured"/> (<c>Chaos:Experiments</c>), else the first
    /// <c>experiments/</c> folder holding the schema up from <paramref name="start"/>.
    /// </summary>
    public static string Find(string? configured, string start)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "experiments");
            if (File.Exists(Path.Combine(candidate, SchemaFile)))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine(start, "experiments"));
    }
}
