using System.Net.Http.Json;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Api;

/// <summary>
/// The API's chaos hooks (<c>/chaos/cpu</c>, <c>/chaos/calls</c>), called with the lab's secret. Every call opens a new
/// connection, so Aspire's proxy decides which replica gets it; each answer names that replica.
/// </summary>
public sealed class ApiChaosHooks(Uri apiAddress, string secret)
{
    public Task<HookAnswer> PressCpuAsync(double share, TimeSpan duration, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "/chaos/cpu", JsonContent.Create(new { share, durationSeconds = duration.TotalSeconds }), cancellationToken);

    public Task<HookAnswer> ReleaseCpuAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "/chaos/cpu", null, cancellationToken);

    /// <param name="dependency"><c>redis</c> or <c>postgres</c>.</param>
    /// <param name="latency">For <c>latency</c>; null for <c>error</c>.</param>
    public Task<HookAnswer> HitCallsAsync(
        string dependency, string kind, double share, TimeSpan? latency, TimeSpan duration, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, "/chaos/calls", JsonContent.Create(new
        {
            dependency,
            kind,
            share,
            latencyMs = latency?.TotalMilliseconds,
            durationSeconds = duration.TotalSeconds,
        }), cancellationToken);

    public Task<HookAnswer> ReleaseCallsAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, "/chaos/calls", null, cancellationToken);

    /// <summary>
    /// <c>GET /health</c> on a new connection: which replica answered, its readiness (200 or 503) and what the lab did
    /// to it (<c>X-Chaos-Injected</c>, e.g. <c>redeploy-…</c>); null when no replica answered.
    /// </summary>
    public async Task<HealthAnswer?> ProbeHealthAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiAddress, "/health"));
        request.Headers.ConnectionClose = true;
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        try
        {
            using var response = await client.SendAsync(request, cancellationToken);
            return response.Headers.TryGetValues("X-Replica", out var replicas)
                ? new HealthAnswer(replicas.First(), (int)response.StatusCode,
                    response.Headers.TryGetValues("X-Chaos-Injected", out var marks) ? marks.First() : null)
                : null;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task<HookAnswer> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiAddress, path)) { Content = content };
        request.Headers.ConnectionClose = true;
        request.Headers.Add(LabControlClient.SecretHeader, secret);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The API refused {method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<HookAnswer>(cancellationToken))!;
    }
}

/// <param name="Injected">What the lab did to the replica, as it says (<c>X-Chaos-Injected</c>).</param>
public sealed record HealthAnswer(string Replica, int Status, string? Injected)
{
    public bool Healthy => Status == 200;
}

/// <summary>What every hook answers first: the replica that took the call.</summary>
public sealed record HookAnswer(string Replica);
