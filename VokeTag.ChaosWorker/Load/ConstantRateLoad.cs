using System.Diagnostics;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// The lab's load generator: sends requests at a fixed rate whatever the server does (an open model), over its own
/// HTTP/1.1 connections without retries (<see cref="HttpLoadConnections"/>). Each request is timed from the moment it is sent, so the generator's own timer
/// lateness is not counted as the server's. It only targets loopback addresses, sends a bounded number of requests,
/// keeps at most <see cref="MaxInFlight"/> unanswered, and stops by itself.
/// </summary>
public sealed class ConstantRateLoad
{
    /// <summary>
    /// Requests unanswered at once, at most. A request due while this many are still waiting is not sent: it is
    /// recorded as failed (<see cref="LoadSample.NotSent"/>, its latency the request timeout) and the schedule goes on.
    /// Far above what an experiment keeps in flight (20 requests/s at 1 s of injected latency is 20); without it a
    /// rate above the API's capacity piled up thousands of connections and melted the server being measured
    /// (measured: 1.5× capacity, 72 requests/s answered of about 2,800).
    /// </summary>
    public const int MaxInFlight = 128;

    /// <summary>
    /// Above this rate connections live <see cref="BusyConnectionLifetime"/>, below it
    /// <see cref="SteadyConnectionLifetime"/>.
    /// </summary>
    public const double BusyRatePerSecond = 200;

    /// <summary>
    /// Aspire's proxy picks a replica per connection, so at an experiment's rates (one or two connections busy) the
    /// generator renews its connections this often to spread traffic over the replicas.
    /// </summary>
    public static readonly TimeSpan SteadyConnectionLifetime = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Above <see cref="BusyRatePerSecond"/> many connections are open at once, which spreads the traffic anyway, and a
    /// new connection costs the API more than a request: renewing 128 of them twice a second held the generator to
    /// 0.46× wrk's throughput at saturation.
    /// </summary>
    public static readonly TimeSpan BusyConnectionLifetime = TimeSpan.FromSeconds(5);

    private readonly Func<LoadProfile, ILoadTransport> _transportFor;
    private readonly TimeProvider _time;
    private int _inFlight;

    /// <summary>
    /// The load generator against <paramref name="api"/> as the worker uses it: its own HTTP/1.1 connections
    /// (<see cref="HttpLoadConnections"/>), no retries (but a request that meets a kept-alive connection the server had
    /// closed is sent again, as HttpClient does), no timeout but each request's own, connections renewed as
    /// <see cref="BusyRatePerSecond"/> says, and the requests' trace context that of the span sending them.
    /// </summary>
    /// <param name="connectionLifetime">Overrides that renewal, e.g. <see cref="Timeout.InfiniteTimeSpan"/> to keep each
    /// connection as wrk does (the benchmark's comparison).</param>
    /// <param name="remoteAllowed">Measure-only mode: the user named the API (<c>Chaos:Target</c>) in a cluster.</param>
    public static ConstantRateLoad Create(Uri api, TimeProvider time, TimeSpan? connectionLifetime = null, bool remoteAllowed = false) =>
        new(profile => new HttpLoadConnections(api, connectionLifetime ?? LifetimeAt(profile.RatePerSecond), time, Activity.Current), api, time, remoteAllowed);

    /// <param name="transportFor">Opens what carries one run's requests; the run disposes of it at its end.</param>
    /// <param name="api">The API's address, loopback only.</param>
    /// <param name="remoteAllowed">Only for measure-only mode, where the user named the API in a cluster (<c>Chaos:Target</c>).</param>
    public ConstantRateLoad(Func<LoadProfile, ILoadTransport> transportFor, Uri api, TimeProvider time, bool remoteAllowed = false)
    {
        if (!api.IsLoopback && !remoteAllowed)
        {
            throw new ArgumentException($"The load generator only targets loopback addresses; the API is '{api}'.", nameof(api));
        }

        _transportFor = transportFor;
        _time = time;
    }

    public static TimeSpan LifetimeAt(double ratePerSecond) =>
        ratePerSecond > BusyRatePerSecond ? BusyConnectionLifetime : SteadyConnectionLifetime;

    /// <summary>Connections a run opens before its first request: about one per 200 requests a second, 1 to 16.</summary>
    public static int ConnectionsToPrepare(double ratePerSecond) => Math.Clamp((int)Math.Ceiling(ratePerSecond / 200), 1, 16);

    /// <param name="runId">Makes each scan's Idempotency-Key unique to this run.</param>
    /// <param name="observe">Called as each request completes, e.g. for guardrails that cannot wait for the phase's end.</param>
    /// <param name="stopSending">Ends the run early: no further request is sent, and those in flight still get their answer.</param>
    public async Task<IReadOnlyList<LoadSample>> RunAsync(
        LoadProfile profile, TimeSpan duration, string runId, CancellationToken cancellationToken, Action<LoadSample>? observe = null,
        CancellationToken stopSending = default)
    {
        if (profile.Validate().FirstOrDefault() is { } problem)
        {
            throw new ArgumentException($"Invalid load profile: {problem}", nameof(profile));
        }

        await using var transport = _transportFor(profile);
        try
        {
            await transport.PrepareAsync(ConnectionsToPrepare(profile.RatePerSecond), cancellationToken);
        }
        catch (IOException)
        {
            // The API refuses connections: every request will find out and be counted as failed.
        }

        var started = _time.GetTimestamp();
        var requests = new List<Task<LoadSample>>(profile.RequestsFor(duration));
        using var sending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopSending);
        for (var index = 0; index < requests.Capacity && !sending.IsCancellationRequested; index++)
        {
            var due = profile.Interval * index;
            var wait = due - _time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(wait, _time, sending.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            // Not awaited: the next request goes out on time even when this one hangs.
            var request = Volatile.Read(ref _inFlight) < MaxInFlight
                ? SendAsync(transport, profile, index, due, runId, cancellationToken)
                : Task.FromResult(new LoadSample(profile.KindOf(index), due, profile.RequestTimeout, StatusCode: 0,
                    IdempotencyKey: KeyOf(profile.KindOf(index), index, runId), NotSent: true));
            requests.Add(observe is null ? request : ObservedAsync(request, observe));
        }

        return await Task.WhenAll(requests);
    }

    private static async Task<LoadSample> ObservedAsync(Task<LoadSample> request, Action<LoadSample> observe)
    {
        var sample = await request;
        observe(sample);
        return sample;
    }

    private async Task<LoadSample> SendAsync(
        ILoadTransport transport, LoadProfile profile, int index, TimeSpan due, string runId, CancellationToken cancellationToken)
    {
        var kind = profile.KindOf(index);
        var key = KeyOf(kind, index, runId);
        Interlocked.Increment(ref _inFlight);
        var sent = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(profile.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var answer = await transport.SendAsync(new LoadRequest(kind, index % profile.TagWorkingSet + 1, key), linked.Token);
            return new LoadSample(kind, due, _time.GetElapsedTime(sent), answer.StatusCode, answer.ServedFrom, answer.Replica, key,
                answer.ShedReason, Injected: answer.Injected);
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            return new LoadSample(kind, due, _time.GetElapsedTime(sent), StatusCode: 0, IdempotencyKey: key);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static string? KeyOf(RequestKind kind, int index, string runId) =>
        kind == RequestKind.Scan ? $"{runId}-{index}" : null;
}
