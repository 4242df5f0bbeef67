using System.Net.Http.Json;

namespace VokeTag.ChaosWorker.Api;

/// <summary>
/// Polls the API's read-only <c>GET /diagnostics</c> during a phase and remembers every circuit state any replica
/// reported, e.g. whether the database breaker opened. Each poll uses a new connection so the proxy spreads polls
/// over the replicas.
/// </summary>
public sealed class ApiDiagnosticsProbe(Uri apiAddress, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public async Task<CircuitObservations> WatchAsync(CancellationToken cancellationToken)
    {
        var observed = new CircuitObservations();
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(apiAddress, "/diagnostics"));
                request.Headers.ConnectionClose = true;
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
                using var response = await client.SendAsync(request, cancellationToken);
                if (await response.Content.ReadFromJsonAsync<Diagnostics>(cancellationToken) is { } diagnostics)
                {
                    observed.Add(diagnostics.Circuits);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException)
            {
                // A replica that does not answer its diagnostics tells us nothing about its circuits.
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

    private sealed record Diagnostics(Dictionary<string, string> Circuits);
}

/// <summary>Circuit states seen per dependency over a phase, across replicas.</summary>
public sealed class CircuitObservations
{
    private readonly HashSet<(string Dependency, string State)> _seen = [];

    public bool Saw(string dependency, string state) => _seen.Contains((dependency, state));

    internal void Add(IReadOnlyDictionary<string, string> circuits)
    {
        foreach (var (dependency, state) in circuits)
        {
            _seen.Add((dependency, state));
        }
    }
}
