using System.Globalization;
using System.Net.Http.Json;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// The lab's load generator: sends requests at a fixed rate whatever the server does (an open model), each timed
/// from when it was due, through an HttpClient without retries. It only targets loopback addresses, sends a bounded
/// number of requests and stops by itself.
/// </summary>
public sealed class ConstantRateLoad
{
    private readonly HttpClient _client;
    private readonly TimeProvider _time;

    /// <summary>
    /// The load generator against <paramref name="api"/> as the worker uses it: its own client, no retries, no
    /// timeout but each request's own, and short-lived connections — Aspire's proxy picks a replica per connection, so
    /// traffic spreads over the replicas.
    /// </summary>
    public static ConstantRateLoad Create(Uri api, TimeProvider time) => new(
        new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMilliseconds(500) })
        {
            BaseAddress = api,
            Timeout = Timeout.InfiniteTimeSpan,
        },
        time);

    public ConstantRateLoad(HttpClient client, TimeProvider time)
    {
        if (client.BaseAddress is not { IsLoopback: true })
        {
            throw new ArgumentException(
                $"The load generator only targets loopback addresses; BaseAddress is '{client.BaseAddress}'.", nameof(client));
        }

        _client = client;
        _time = time;
    }

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
            var request = SendAsync(profile, index, due, started, runId, cancellationToken);
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
        LoadProfile profile, int index, TimeSpan due, long started, string runId, CancellationToken cancellationToken)
    {
        var kind = profile.KindOf(index);
        using var timeout = new CancellationTokenSource(profile.RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            using var request = BuildRequest(profile, kind, index, runId);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            return new LoadSample(kind, due, Elapsed(started, due), (int)response.StatusCode,
                Header(response, "X-Served-From"), Header(response, "X-Replica"), KeyOf(kind, index, runId), Header(response, "X-Shed"));
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or IOException)
        {
            return new LoadSample(kind, due, Elapsed(started, due), StatusCode: 0, IdempotencyKey: KeyOf(kind, index, runId));
        }
    }

    private static string? KeyOf(RequestKind kind, int index, string runId) =>
        kind == RequestKind.Scan ? $"{runId}-{index}" : null;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private TimeSpan Elapsed(long started, TimeSpan due) => _time.GetElapsedTime(started) - due;

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
