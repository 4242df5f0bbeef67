using System.Net.Http.Json;

namespace VokeTag.ChaosWorker.Api;

/// <summary>
/// Polls the API's read-only <c>GET /diagnostics</c> during a phase and remembers every circuit state any replica
/// reported (e.g. whether the database breaker opened) and the peaks of its CPU, memory and PostgreSQL pool. Each
/// poll uses a new connection so the proxy spreads polls over the replicas.
/// </summary>
public sealed class ApiDiagnosticsProbe(Uri apiAddress, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="onReading">Also handed every reading as it comes, e.g. to the guardrails.</param>
    public async Task<ReplicaObservations> WatchAsync(CancellationToken cancellationToken, Action<Diagnostics>? onReading = null)
    {
        var observed = new ReplicaObservations();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (await ReadAsync(cancellationToken) is { } diagnostics)
            {
                observed.Add(diagnostics);
                onReading?.Invoke(diagnostics);
            }

            try
            {
                await Task.Delay(PollInterval, time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return observed;
    }

    /// <summary>One reading of one replica; null when it did not answer (a replica that does not answer tells nothing about its circuits).</summary>
    public async Task<Diagnostics?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiAddress, "/diagnostics"));
            request.Headers.ConnectionClose = true;
            request.Options.Set(Microsoft.Extensions.Hosting.Extensions.Untraced, true);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            using var response = await client.SendAsync(request, cancellationToken);
            return response.IsSuccessStatusCode && await response.Content.ReadFromJsonAsync<Diagnostics>(cancellationToken) is { Circuits: not null } diagnostics
                ? diagnostics
                : null; // a replica that answers something else tells us nothing about its circuits
        }
        catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>What <c>GET /diagnostics</c> answers that the worker reads.</summary>
/// <param name="Replica">Which replica answered (its <c>X-Replica</c> id).</param>
public sealed record Diagnostics(
    Dictionary<string, string> Circuits, double? CpuShare = null, double? MemoryShare = null, PoolReading? PostgresPool = null, string? Replica = null);

/// <param name="Used">Connections in use.</param>
/// <param name="Max">The pool's size.</param>
/// <param name="Pending">Requests waiting for a connection.</param>
public sealed record PoolReading(int Used, int Max, int Pending);

/// <summary>Circuit states seen per dependency over a phase, and the highest CPU, memory and pool use, across replicas.</summary>
public sealed class ReplicaObservations
{
    public const string CpuPeak = "api-cpu-peak";
    public const string MemoryPeak = "api-memory-peak";
    public const string PoolPeak = "db-pool-peak";
    public const string PoolWaitingPeak = "db-pool-waiting-peak";

    private readonly HashSet<(string Dependency, string State)> _seen = [];
    private readonly Dictionary<string, double> _peaks = [];

    public bool Saw(string dependency, string state) => _seen.Contains((dependency, state));

    /// <summary>
    /// The peaks seen, by name: the share of all cores and of the memory it may use a replica's process used, the share
    /// of a replica's PostgreSQL pool in use and the most requests waiting for one of its connections.
    /// </summary>
    public IReadOnlyDictionary<string, double> Peaks => _peaks;

    public void Add(Diagnostics diagnostics)
    {
        foreach (var (dependency, state) in diagnostics.Circuits)
        {
            _seen.Add((dependency, state));
        }

        Peak(CpuPeak, diagnostics.CpuShare);
        Peak(MemoryPeak, diagnostics.MemoryShare);
        if (diagnostics.PostgresPool is { Max: > 0 } pool)
        {
            Peak(PoolPeak, (double)pool.Used / pool.Max);
            Peak(PoolWaitingPeak, pool.Pending);
        }
    }

    private void Peak(string name, double? value)
    {
        if (value is { } reading && (!_peaks.TryGetValue(name, out var peak) || reading > peak))
        {
            _peaks[name] = reading;
        }
    }
}
