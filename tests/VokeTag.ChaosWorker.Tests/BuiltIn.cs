using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Tests;

/// <summary>The checkout's built-in experiments (<c>experiments/</c>), as the worker reads them.</summary>
public static class BuiltIn
{
    public static readonly string Folder = ExperimentFolder.Find(null, AppContext.BaseDirectory);

    public static readonly ExperimentCatalog Catalog = new(Folder);

    public static ChaosExperiment Experiment(string name) =>
        Catalog.Find(name, out var problems) ?? throw new InvalidOperationException($"{name}: {string.Join(" ", problems)}");
}
