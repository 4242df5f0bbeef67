namespace VokeTag.AppHost.Lab;

/// <summary>
/// The lab cannot start on this machine as configured. Raised before any resource starts; the AppHost prints the
/// message and the fix, and exits without a stack trace.
/// </summary>
public sealed class LabSetupException(string problem, string fix) : Exception(problem)
{
    public string Fix { get; } = fix;

    public override string ToString() => $"The lab cannot start: {Message}{Environment.NewLine}Fix: {Fix}";
}
