namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// A point where chaoslib itself stops with an error, e.g. a configuration value that names a missing environment
/// variable. The message is chaoslib's where it has one, otherwise it names the Python error chaoslib would raise.
/// </summary>
public sealed class ToolkitException(string message) : Exception(message);
