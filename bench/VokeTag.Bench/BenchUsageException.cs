namespace VokeTag.Bench;

/// <summary>A refusal of the command line; the message names what is wrong.</summary>
public sealed class BenchUsageException(string message) : Exception(message);
