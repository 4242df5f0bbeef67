namespace VokeTag.ChaosWorker.Experiments;

/// <summary>The lab was not steady before the fault, so the run injects nothing and reports an error.</summary>
public sealed class SteadyStateException(string message) : Exception(message);
