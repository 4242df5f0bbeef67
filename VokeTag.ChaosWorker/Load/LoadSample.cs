namespace VokeTag.ChaosWorker.Load;

/// <summary>The kinds of traffic the lab sends: the critical path, a non-critical read, and a write.</summary>
public enum RequestKind
{
    /// <summary><c>GET /tags/{id}</c> — verification, the critical path.</summary>
    Verify,

    /// <summary><c>GET /tags/{id}/scans</c> — non-critical, heavier; the first to shed.</summary>
    History,

    /// <summary><c>POST /tags/{id}/scans</c> with an Idempotency-Key.</summary>
    Scan,
}

/// <summary>
/// One request of a load run. <see cref="Latency"/> runs from the moment the request was <em>meant</em> to be sent
/// (open model), so a server that stalls the sender shows up as latency, not as fewer requests.
/// </summary>
/// <param name="IntendedAt">When the request was due, from the start of the run.</param>
/// <param name="StatusCode">The HTTP status, or 0 when no response came (refused, reset, timed out).</param>
/// <param name="ServedFrom">The API's <c>X-Served-From</c> header, if any.</param>
/// <param name="Replica">The API's <c>X-Replica</c> header: which replica answered.</param>
/// <param name="IdempotencyKey">For scans: the key sent, so the write ledger can find the row.</param>
/// <param name="ShedReason">The API's <c>X-Shed</c> header on a 503: it shed this non-critical request on purpose.</param>
/// <param name="Injected">The API's <c>X-Chaos-Injected</c> header: a call fault touched this request (e.g. <c>redis-error</c>).</param>
public sealed record LoadSample(
    RequestKind Kind, TimeSpan IntendedAt, TimeSpan Latency, int StatusCode, string? ServedFrom = null, string? Replica = null,
    string? IdempotencyKey = null, string? ShedReason = null, bool NotSent = false, string? Injected = null)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;

    /// <summary>
    /// Shed on purpose: a 503 with <c>X-Shed</c>, which the API only sends for non-critical requests. Graceful
    /// degradation, counted apart: neither a success nor a failure of the service.
    /// </summary>
    public bool Shed => StatusCode == 503 && ShedReason is not null;

    /// <summary>
    /// A failure of the service: a 5xx or no answer at all, except a request shed on purpose. 4xx are answers, not
    /// errors.
    /// </summary>
    public bool Failed => (StatusCode is 0 or >= 500) && !Shed;

    /// <summary><c>2xx</c> … <c>5xx</c>; <c>none</c>: sent, no answer; <c>not-sent</c>: the generator's in-flight limit was reached.</summary>
    public string StatusClass => NotSent ? "not-sent" : StatusCode == 0 ? "none" : $"{StatusCode / 100}xx";
}
