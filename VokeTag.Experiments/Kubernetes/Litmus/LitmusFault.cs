namespace VokeTag.Experiments.Kubernetes.Litmus;

/// <summary>
/// What one ChaosEngine of an experiment runs: a Litmus fault (<see cref="LitmusFaultKinds"/>) on a workload's pods,
/// with the env that tunes it, standing for the experiment file's <paramref name="Sources"/> (network faults on the
/// same pods are merged into one: Litmus's network faults each take the pods' interface).
/// </summary>
public sealed record LitmusFault(
    IReadOnlyList<FaultDefinition> Sources, string Kind, LabWorkload Workload, IReadOnlyList<(string Name, string Value)> Env, string Description)
{
    public bool IsNetwork => Kind is LitmusFaultKinds.NetworkLatency or LitmusFaultKinds.NetworkLoss;

    /// <summary>The env variable's value, or null.</summary>
    public string? Value(string name) => Env.Where(variable => variable.Name == name).Select(variable => variable.Value).FirstOrDefault();
}
