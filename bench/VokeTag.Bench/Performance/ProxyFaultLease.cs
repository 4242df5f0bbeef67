using System.Net.Http.Json;
using System.Text.Json;

namespace VokeTag.Bench.Performance;

/// <summary>
/// Faults on the lab's proxies under a lease of the benchmark's own, renewed while it runs: if the benchmark dies, the
/// lab undoes them within the lease's 10 s, as it does for the worker.
/// </summary>
public sealed class ProxyFaultLease : IAsyncDisposable
{
    private static readonly TimeSpan TimeToLive = TimeSpan.FromSeconds(10);
    private readonly HttpClient _control;
    private readonly string _id;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    private ProxyFaultLease(HttpClient control, string id)
    {
        (_control, _id) = (control, id);
        _renewing = RenewAsync();
    }

    public static async Task<ProxyFaultLease> OpenAsync(HttpClient control)
    {
        using var response = await control.PostAsJsonAsync("/leases", new { owner = "bench performance", ttlSeconds = TimeToLive.TotalSeconds });
        await EnsureAsync(response, "open a lease");
        var lease = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new ProxyFaultLease(control, lease.GetProperty("id").GetString()!);
    }

    /// <summary>Sets one fault (replacing any) on a proxy: kind latency or bandwidth, direction upstream, downstream or both.</summary>
    public async Task ApplyAsync(string proxy, string kind, string direction, int latencyMs = 0, int jitterMs = 0, long bytesPerSecond = 0)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/proxies/{proxy}/faults")
        {
            Content = JsonContent.Create(new[] { new { kind, direction, latencyMs, jitterMs, bytesPerSecond } }),
        };
        request.Headers.Add("X-Fault-Lease", _id);
        using var response = await _control.SendAsync(request);
        await EnsureAsync(response, $"set {kind} on {proxy}");
    }

    public async Task ClearAsync(string proxy)
    {
        using var response = await _control.DeleteAsync($"/proxies/{proxy}/faults");
        await EnsureAsync(response, $"clear the faults on {proxy}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _renewing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        using var response = await _control.DeleteAsync($"/leases/{_id}");
        _stop.Dispose();
    }

    private async Task RenewAsync()
    {
        using var timer = new PeriodicTimer(TimeToLive / 3);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            using var response = await _control.PutAsync($"/leases/{_id}", null, _stop.Token);
        }
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
