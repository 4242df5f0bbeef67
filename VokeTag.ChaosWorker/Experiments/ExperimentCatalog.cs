namespace VokeTag.ChaosWorker.Experiments;

/// <summary>Every experiment the worker knows, by name. A new experiment is one file plus one line here.</summary>
public sealed class ExperimentCatalog
{
    private readonly Dictionary<string, ChaosExperiment> _experiments = new ChaosExperiment[]
    {
        new RedisFailureExperiment(),
        new DatabaseFailureExperiment(),
        new NetworkLatencyExperiment(),
        new PodFailureExperiment(),
        new HighCpuExperiment(),
        new MultiFailureExperiment(),
    }.ToDictionary(experiment => experiment.Name);

    public IReadOnlyCollection<ChaosExperiment> All => _experiments.Values;

    public ChaosExperiment? Find(string name) => _experiments.GetValueOrDefault(name);

    public string KnownNames => string.Join(", ", _experiments.Keys);
}
