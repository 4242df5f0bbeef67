namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// A dependency answered, and refused this request: its data (SQLSTATE class 22), a limit (54), an integrity
/// constraint (23) or a Redis command error. The caller's fault, never counted against the dependency: the API answers
/// 400 or 409 naming the request's fields.
/// </summary>
public sealed class DependencyRejectedException(Dependency dependency, DependencyFailure failure, string serverMessage, Exception inner)
    : Exception($"{dependency} refused the request: {failure.Reason}", inner)
{
    public Dependency Dependency { get; } = dependency;

    public DependencyFailure Failure { get; } = failure;

    /// <summary>What the server said, e.g. <c>invalid byte sequence for encoding "UTF8": 0x00</c>; no stack, no query.</summary>
    public string ServerMessage { get; } = serverMessage;
}
