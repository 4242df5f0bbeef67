using System.Globalization;
using System.Net.Http.Json;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// The lab's load generator: sends requests at a fixed rate whatever the server does (an open model), through an
/// HttpClient without retries. Each request is timed from the moment it is sent, so the generator's own timer
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

    private readonly Func<LoadProfile, HttpClient> _clientFor;
    private readonly TimeProvider _time;
    private int _inFlight;

    /// <summary>
    /// The load generator against <paramref name="api"/> as the worker uses it: its own clients, no retries, no
    /// timeout but each request's own, and connections renewed as <see cref="BusyRatePerSecond"/> says.
    /// </summary>
    public static ConstantRateLoad Create(Uri api, TimeProvider time)
    {
        var steady = Client(api, SteadyConnectionLifetime);
        var busy = Client(api, BusyConnectionLifetime);
        return new ConstantRateLoad(profile => profile.RatePerSecond > BusyRatePerSecond ? busy : steady, api, time);
    }

    public ConstantRateLoad(HttpClient client, TimeProvider time)
        : this(_ => client, client.BaseAddress, time)
    {
    }

    private ConstantRateLoad(Func<LoadProfile, HttpClient> clientFor, Uri? api, TimeProvider time)
    {
        if (api is not { IsLoopback: true })
        {
            throw new ArgumentException($"The load generator only targets loopback addresses; BaseAddress is '{api}'.", nameof(api));
        }

        _clientFor = clientFor;
        _time = time;
    }

    private static HttpClient Client(Uri api, TimeSpan connectionLifetime) =>
        new(new SocketsHttpHandler { PooledConnectionLifetime = connectionLifetime, MaxConnectionsPerServer = MaxInFlight })
        {
            BaseAddress = api,
            Timeout = Timeout.InfiniteTimeSpan,
        };

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
                ? SendAsync(profile, index, due, runId, cancellationToken)
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
        LoadProfile profile, int index, TimeSpan due, string runId, CancellationToken cancellationToken)
    {
        var kind = profile.KindOf(index);
        Interlocked.Increment(ref _inFlight);
        var sent = _time.GetTimestamp();
        using var timeout = new CancellationTokenSource(profile.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = BuildRequest(profile, kind, index, runId);
            using var response = await _clientFor(profile).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return new LoadSample(kind, due, _time.GetElapsedTime(sent), (int)response.StatusCode,
                Header(response, "X-Served-From"), Header(response, "X-Replica"), KeyOf(kind, index, runId), Header(response, "X-Shed"),
                Injected: Header(response, "X-Chaos-Injected"));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            return new LoadSample(kind, due, _time.GetElapsedTime(sent), StatusCode: 0, IdempotencyKey: KeyOf(kind, index, runId));
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private static string? KeyOf(RequestKind kind, int index, string runId) =>
        kind == RequestKind.Scan ? $"{runId}-{index}" : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static HttpRequestMessage BuildRequest(LoadProfile profile, RequestKind kind, int index, string runId)
    {
        var tag = $"VT-{(index % profile.TagWorkingSet + 1).ToString("D6", CultureInfo.InvariantCulture)}";
        return kind switch
        {
            RequestKind.Verify => new HttpRequestMessage(HttpMethod.Get, $"/tags/{tag}"),
            RequestKind.History => new HttpRequestMessage(HttpMethod.Get, $"/tags/{tag}/scans"),
            _ => new HttpRequestMessage(HttpMethod.Post, $"/tags/{tag}/scans")
            {
                Content = JsonContent.Create(new { location = "chaos-lab" }),
                Headers = { { "Idempotency-Key", KeyOf(kind, index, runId)! } },
            },
        };
    }
}
