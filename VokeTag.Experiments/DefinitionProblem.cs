namespace VokeTag.Experiments;

/// <summary>
/// One thing wrong with an experiment file: where (file, line, column, and the path inside it such as
/// <c>faults[1].latency</c>), what was found and what is allowed.
/// </summary>
public sealed record DefinitionProblem(string File, int Line, int Column, string Path, string Message)
{
    /// <summary>e.g. <c>experiments/redis-failure.yaml:12:5: faults[0].kind: found 'stopp'; allowed: stop, kill, …</c>.</summary>
    public override string ToString() =>
        Path.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Path}: {Message}";
}

/// <summary>An experiment file that cannot run, with every problem found in it.</summary>
public sealed class InvalidExperimentFileException(string file, IReadOnlyList<DefinitionProblem> problems)
    : Exception($"{file}: {problems.Count} problem(s): {string.Join(" ", problems)}")
{
    public IReadOnlyList<DefinitionProblem> Problems { get; } = problems;
}
