namespace VokeTag.ChaosWorker.Load;

/// <summary>One request of a run as the generator asks for it: what to send, not how.</summary>
/// <param name="Tag">The seeded tag's number (1 is <c>VT-000001</c>).</param>
/// <param name="IdempotencyKey">For scans: the key to send.</param>
public readonly record struct LoadRequest(RequestKind Kind, int Tag, string? IdempotencyKey);

/// <summary>An answer: its status and the headers the lab reads (<c>X-Served-From</c>, <c>X-Replica</c>, <c>X-Shed</c>, <c>X-Chaos-Injected</c>).</summary>
public readonly record struct LoadAnswer(int StatusCode, string? ServedFrom, string? Replica, string? ShedReason, string? Injected);

/// <summary>
/// What carries one run's requests to the API. A run opens its own (<see cref="ConstantRateLoad"/>) and disposes of
/// it when every answer is in.
/// </summary>
public interface ILoadTransport : IAsyncDisposable
{
    /// <summary>Opens up to <paramref name="connections"/> connections before the first request is due.</summary>
    ValueTask PrepareAsync(int connections, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one request and waits for its whole answer. Throws <see cref="IOException"/> when none came (refused,
    /// reset, closed, malformed) and <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    ValueTask<LoadAnswer> SendAsync(LoadRequest request, CancellationToken cancellationToken);
}
