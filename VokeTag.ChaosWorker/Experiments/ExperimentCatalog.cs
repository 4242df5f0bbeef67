using VokeTag.ChaosWorker.Definitions;

namespace VokeTag.ChaosWorker.Experiments;

/// <summary>
/// The experiments the worker can run: every file in its experiments folder (<c>experiments/</c> at the top of the
/// checkout unless <c>Chaos:Experiments</c> names another), read at start and again on <see cref="Reload"/>. A file
/// with problems is kept with them and cannot run; the others can. A file outside the folder runs by its path.
/// </summary>
public sealed class ExperimentCatalog
{
    // Replaced whole on reload, never changed in place: readers see the old folder or the new one, never a mix.
    private volatile Snapshot _current = new(new Dictionary<string, ChaosExperiment>(), []);

    private readonly ILogger? _logger;

    public ExperimentCatalog(string folder, ILogger? logger = null)
    {
        Folder = folder;
        _logger = logger;
        Reload();
    }

    public string Folder { get; }

    public IReadOnlyCollection<ChaosExperiment> All => [.. _current.Experiments.Values];

    /// <summary>The files that cannot run, each with every problem found in it.</summary>
    public IReadOnlyList<ExperimentFileResult> Invalid => _current.Invalid;

    public string KnownNames => string.Join(", ", _current.Experiments.Keys);

    /// <summary>A catalog experiment by name, or a file by path (read now, so a changed file runs as it is now).</summary>
    public ChaosExperiment? Find(string nameOrPath, out IReadOnlyList<DefinitionProblem> problems)
    {
        problems = [];
        var current = _current;
        if (current.Experiments.GetValueOrDefault(nameOrPath) is { } known)
        {
            return known;
        }

        if (!ExperimentFileReader.IsFilePath(nameOrPath))
        {
            problems = current.Invalid.FirstOrDefault(file => Path.GetFileNameWithoutExtension(file.File) == nameOrPath)?.Problems ?? [];
            return null;
        }

        var path = Path.IsPathRooted(nameOrPath) ? nameOrPath : Path.GetFullPath(nameOrPath, Path.GetDirectoryName(Folder) ?? Folder);
        var result = ExperimentFileReader.Read(path, nameOrPath);
        problems = result.Problems;
        return result.IsValid ? Of(result) : null;
    }

    /// <summary>Reads the folder again: new and changed files are picked up, removed ones dropped.</summary>
    public void Reload()
    {
        var results = ExperimentFolder.Read(Folder, Shown);
        var snapshot = new Snapshot(
            results.Where(result => result.IsValid).Select(Of).ToDictionary(experiment => experiment.Name),
            [.. results.Where(result => !result.IsValid)]);
        _current = snapshot;

        _logger?.LogInformation("Experiments from {Folder}: {Valid} can run ({Names}), {Invalid} cannot",
            Folder, snapshot.Experiments.Count, string.Join(", ", snapshot.Experiments.Keys), snapshot.Invalid.Count);
        foreach (var problem in snapshot.Invalid.SelectMany(file => file.Problems))
        {
            _logger?.LogError("Experiment file cannot run: {Problem}", problem);
        }
    }

    /// <summary>A valid file as the worker runs it: the lab's own format, or a Chaos Toolkit experiment.</summary>
    private static ChaosExperiment Of(ExperimentFileResult result) =>
        result.Definition is { } definition ? new FileExperiment(definition) : new Toolkit.ToolkitFileExperiment(result.Toolkit!);

    private string Shown(string path) => Path.Combine(Path.GetFileName(Folder), Path.GetFileName(path));

    private sealed record Snapshot(IReadOnlyDictionary<string, ChaosExperiment> Experiments, IReadOnlyList<ExperimentFileResult> Invalid);
}
