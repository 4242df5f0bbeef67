using System.Net.Http.Json;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Api;

/// <summary>
/// The API's chaos hooks (<c>/chaos/cpu</c>), called with the lab's secret. Every call opens a new connection, so
/// Aspire's proxy decides which replica gets it; the answer names that replica.
/// </summary>
public sealed class ApiChaosHooks(Uri apiAddress, string secret)
{
    public Task<CpuPressureView> PressCpuAsync(double share, TimeSpan duration, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, JsonContent.Create(new { share, durationSeconds = duration.TotalSeconds }), cancellationToken);

    public Task<CpuPressureView> ReleaseCpuAsync(CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Delete, null, cancellationToken);

    private async Task<CpuPressureView> SendAsync(HttpMethod method, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(apiAddress, "/chaos/cpu")) { Content = content };
        request.Headers.ConnectionClose = true;
        request.Headers.Add(LabControlClient.SecretHeader, secret);
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var response = await client.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException(
                $"The API refused {method} /chaos/cpu: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return (await response.Content.ReadFromJsonAsync<CpuPressureView>(cancellationToken))!;
    }
}

public sealed record CpuPressureView(string Replica, double Share, int Cores, DateTimeOffset? Until);
