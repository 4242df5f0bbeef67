using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VokeTag.AppHost.LabControl;
using VokeTag.AppHost.Tests.Fuzz;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// The fuzz suite: hostile requests generated with CsCheck against every surface of a steady lab, interleaved with
/// valid traffic. Nothing a caller sends may take a dependency down for everyone: no 5xx, no open breaker, no 503 for
/// valid traffic, no lost or doubled write. The seed is printed; set VOKETAG_FUZZ_SEED to replay a run.
/// </summary>
public sealed partial class ExperimentTests
{
    private const int ApiCaseCount = 600;
    private const int ControlCaseCount = 60;
    private const int Concurrency = 8;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Hostile_input_on_every_surface_is_refused_without_a_5xx_an_open_breaker_or_a_lost_write()
    {
        var seed = Environment.GetEnvironmentVariable("VOKETAG_FUZZ_SEED") is { Length: > 0 } pinned ? ulong.Parse(pinned) : (ulong)Random.Shared.NextInt64();
        Output.WriteLine($"fuzz seed {seed} (replay: VOKETAG_FUZZ_SEED={seed})");
        var pcg = new PCG(1, seed);
        var judge = new FuzzJudge();
        var ledger = new ConcurrentBag<(long ScanId, string TagId)>();
        var valid = new ValidTraffic(Lab.Api.BaseAddress!, seed);

        // A steady lab first: an earlier test may have restarted the database, leaving dead pooled connections that
        // the first concurrent requests would find (and trip the breaker on). Warm up, then wait for closed breakers,
        // then count trips from here on: the fuzz run's own.
        await Lab.AllHealthyAsync(TimeSpan.FromMinutes(2));
        await valid.WarmUpAsync(Concurrency);
        await SteadyAsync();
        var openingsBefore = (await DiagnosticsAsync()).ToDictionary(replica => replica.Key, replica => replica.Value.Openings);

        var api = Lab.App.GetEndpoint("api", "http");
        using var permits = new ConcurrencyPermits(Concurrency);
        var work = Generate(ApiCases.All, ApiCaseCount, pcg)
            .Select((request, index) => index % 3 == 0
                ? (Func<Task>)(async () =>
                {
                    await permits.RunAsync(request.Burst, () => SendApiAsync(api, request, judge, ledger));
                    await permits.RunAsync(1, () => valid.SendAsync(ledger));
                })
                : () => permits.RunAsync(request.Burst, () => SendApiAsync(api, request, judge, ledger)));
        await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (send, _) => await send());

        await FuzzControlSurfacesAsync(pcg, judge);

        var breakers = await DiagnosticsAsync();
        var trips = breakers.Sum(replica => replica.Value.Openings - openingsBefore.GetValueOrDefault(replica.Key));
        var lastOpened = string.Join("; ", breakers.Where(pair => pair.Value.LastOpenedBy.Length > 0).Select(pair => $"{pair.Key}: {pair.Value.LastOpenedBy}"));
        var (acknowledged, missing, duplicated) = await CheckLedgerAsync(ledger);
        Output.WriteLine(judge.Summary());
        Output.WriteLine($"hostile cases {judge.Cases}, 5xx {judge.ServerErrors}, shed {judge.Shed}, Kestrel rejections {judge.KestrelRejections}; " +
            $"valid requests {valid.Sent}, valid 503 {valid.Unavailable}, valid shed {valid.Shed}; " +
            $"breaker trips {trips}, breakers now {string.Join("; ", breakers.Select(pair => $"{pair.Key}: {string.Join(", ", pair.Value.Circuits.Select(c => $"{c.Key} {c.Value}"))}"))}; " +
            $"last opened {lastOpened}; " +
            $"ledger {acknowledged} acknowledged, {missing} missing, {duplicated} duplicated");

        foreach (var failure in valid.Failures)
        {
            Output.WriteLine($"valid: {failure}");
        }

        Assert.True(judge.Cases >= 500, $"only {judge.Cases} hostile cases");
        Assert.True(judge.Failures.Count == 0, $"{judge.Failures.Count} case(s) broke a rule (seed {seed}):\n{string.Join("\n", judge.Failures.Take(20))}");
        Assert.True(valid.Failures.IsEmpty, $"valid traffic failed (seed {seed}):\n{string.Join("\n", valid.Failures.Take(20))}");
        Assert.All(breakers, replica => Assert.All(replica.Value.Circuits, circuit => Assert.Equal("closed", circuit.Value)));
        Assert.True(trips == 0, $"{trips} breaker trip(s) during the fuzz run; last opened {lastOpened}");
        Assert.Equal((0, 0), (missing, duplicated));
    }

    private static IEnumerable<T> Generate<T>(Gen<T> gen, int count, PCG pcg)
    {
        for (var i = 0; i < count; i++)
        {
            yield return gen.Generate(pcg, null, out _);
        }
    }

    private async Task SendApiAsync(Uri api, HostileRequest request, FuzzJudge judge, ConcurrentBag<(long, string)> ledger)
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, request.Burst).Select(_ => TrySendAsync(api, request, judge, "api")));
        var scans = new List<(int Status, long ScanId, string TagId)>();
        foreach (var response in answers.OfType<RawResponse>())
        {
            if (judge.Judge("api", request, response) && request.Method == "POST" && response.Status is 200 or 201 && Scan(response) is { } scan)
            {
                ledger.Add(scan);
                scans.Add((response.Status, scan.ScanId, scan.TagId));
            }
        }

        if (request.Burst > 1 && (scans.Count != request.Burst || scans.Count(scan => scan.Status == 201) != 1 || scans.DistinctBy(scan => scan.ScanId).Count() != 1))
        {
            judge.Fail("api", request, $"same-key burst of {request.Burst}: {string.Join(", ", answers.Select(answer => answer?.Status.ToString() ?? "no answer"))}, " +
                $"scan ids {string.Join(", ", scans.Select(scan => scan.ScanId).Distinct())}; expected one 201 and the rest 200 with one scan");
        }
    }

    private static async Task<RawResponse?> TrySendAsync(Uri server, HostileRequest request, FuzzJudge judge, string surface)
    {
        try
        {
            return await RawHttp.SendAsync(server, request.Bytes, RequestTimeout);
        }
        catch (RawHttpException unanswered)
        {
            judge.Fail(surface, request, $"not answered: {unanswered.Message}");
            return null;
        }
    }

    private async Task FuzzControlSurfacesAsync(PCG pcg, FuzzJudge judge)
    {
        var control = Lab.App.Services.GetRequiredService<LabControlServer>();
        var surfaces = new (string Name, Uri Address, Gen<HostileRequest> Cases, string[] Paths)[]
        {
            ("worker", Lab.App.GetEndpoint("chaos", "http"), ControlCases.Worker(control.Secret), ControlCases.WorkerPaths),
            ("lab control", await control.AddressAsync(CancellationToken.None), ControlCases.LabControl(control.Secret), ControlCases.LabControlPaths),
        };
        foreach (var (name, address, withSecret, paths) in surfaces)
        {
            var cases = Generate(ControlCases.WithoutSecret(paths), ControlCaseCount, pcg).Select(request => (request, Secret: false))
                .Concat(Generate(withSecret, ControlCaseCount, pcg).Select(request => (request, Secret: true)));
            await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (item, _) =>
            {
                if (await TrySendAsync(address, item.request, judge, name) is { } response)
                {
                    judge.Judge(name, item.request, response, item.Secret
                        ? answer => answer.Status is >= 400 and < 500 ? null : $"{answer.Status}: an invalid request was not refused"
                        : answer => answer.Status == 401 ? null : $"{answer.Status} without the secret, expected 401");
                }
            });
        }
    }

    private static (long ScanId, string TagId)? Scan(RawResponse response)
    {
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            return (json.RootElement.GetProperty("scanId").GetInt64(), json.RootElement.GetProperty("tagId").GetString()!);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Every acknowledged scan is in PostgreSQL exactly once, with its tag; read directly, not through the API.</summary>
    private async Task<(int Acknowledged, int Missing, int Duplicated)> CheckLedgerAsync(IEnumerable<(long ScanId, string TagId)> acknowledged)
    {
        var scans = acknowledged.Distinct().ToList();
        var connectionString = await Lab.App.GetConnectionStringAsync("voketag");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT s.id, count(*) FROM scans s JOIN unnest($1::bigint[], $2::text[]) AS a(id, tag) ON s.id = a.id AND s.tag_id = a.tag GROUP BY s.id", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = scans.Select(scan => scan.ScanId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = scans.Select(scan => scan.TagId).ToArray() });
        var found = new Dictionary<long, long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetInt64(0)] = reader.GetInt64(1);
        }

        return (scans.Count, scans.Count(scan => !found.ContainsKey(scan.ScanId)), found.Values.Count(count => count > 1));
    }

    /// <summary>The lab is healthy and both replicas report both breakers closed (an earlier test may have opened them).</summary>
    private async Task SteadyAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while (true)
        {
            // A call through each dependency on new connections first: a breaker's state changes only on a call, so
            // without one an idle replica reports the state it had before the last restart.
            for (var i = 0; i < 4; i++)
            {
                using var connection = new HttpClient { BaseAddress = Lab.Api.BaseAddress, Timeout = RequestTimeout };
                using var read = await connection.GetAsync("/tags/VT-000001", deadline.Token);
                using var history = await connection.GetAsync("/tags/VT-000001/scans", deadline.Token);
            }

            if ((await DiagnosticsAsync()).Values.All(replica => replica.Circuits.Values.All(state => state == "closed")))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token); // poll interval while a breaker's break runs out
        }
    }

    /// <summary>
    /// Each replica's circuit states and how often its breakers opened so far, from <c>/diagnostics</c> over fresh
    /// connections until both replicas answered.
    /// </summary>
    private async Task<Dictionary<string, (Dictionary<string, string> Circuits, long Openings, string LastOpenedBy)>> DiagnosticsAsync()
    {
        var replicas = new Dictionary<string, (Dictionary<string, string>, long, string)>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (replicas.Count < 2)
        {
            using var connection = new HttpClient { BaseAddress = Lab.Api.BaseAddress, Timeout = RequestTimeout };
            var diagnostics = await connection.GetFromJsonAsync<JsonElement>("/diagnostics", deadline.Token);
            replicas[diagnostics.GetProperty("replica").GetString()!] = (
                diagnostics.GetProperty("circuits").EnumerateObject().ToDictionary(circuit => circuit.Name, circuit => circuit.Value.GetString()!),
                diagnostics.GetProperty("breakerOpenings").EnumerateObject().Sum(openings => openings.Value.GetInt64()),
                string.Join(", ", diagnostics.GetProperty("breakerLastOpenedBy").EnumerateObject()
                    .Where(reason => reason.Value.ValueKind == JsonValueKind.String).Select(reason => $"{reason.Name} by {reason.Value.GetString()}")));
        }

        return replicas;
    }

    /// <summary>
    /// At most N requests in flight, a same-key burst counting as many as it sends: the cap keeps a 2-core machine from
    /// turning the fuzz run into a load test. Bursts take their permits one burst at a time, so two cannot deadlock.
    /// </summary>
    private sealed class ConcurrencyPermits(int limit) : IDisposable
    {
        private readonly SemaphoreSlim _permits = new(limit);
        private readonly SemaphoreSlim _bursts = new(1);

        public async Task RunAsync(int count, Func<Task> send)
        {
            if (count > 1)
            {
                await _bursts.WaitAsync();
            }

            try
            {
                for (var i = 0; i < count; i++)
                {
                    await _permits.WaitAsync();
                }
            }
            finally
            {
                if (count > 1)
                {
                    _bursts.Release();
                }
            }

            try
            {
                await send();
            }
            finally
            {
                _permits.Release(count);
            }
        }

        public void Dispose()
        {
            _permits.Dispose();
            _bursts.Dispose();
        }
    }

    /// <summary>
    /// The valid requests between the hostile ones, through a plain client with no retries: verifications (never shed),
    /// history reads (a 503 shed by load shedding is counted apart) and scans with fresh Idempotency-Keys.
    /// </summary>
    private sealed class ValidTraffic(Uri api, ulong seed)
    {
        private readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMilliseconds(500) })
        {
            BaseAddress = api,
            Timeout = RequestTimeout,
        };

        private readonly Random _random = new((int)seed);
        private int _sent;
        private int _unavailable;
        private int _shed;

        public ConcurrentQueue<string> Failures { get; } = new();

        public int Sent => _sent;

        public int Unavailable => _unavailable;

        public int Shed => _shed;

        /// <summary>
        /// Fills both replicas' connection pools with a few rounds of valid requests whose answers are not judged: a
        /// pool opened cold under concurrent writes can miss the 500 ms budget, which is start-up, not hostile input.
        /// </summary>
        public async Task WarmUpAsync(int concurrency)
        {
            for (var round = 0; round < 3; round++)
            {
                await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => SendAsync(new ConcurrentBag<(long, string)>(), judged: false)));
            }
        }

        public async Task SendAsync(ConcurrentBag<(long, string)> ledger, bool judged = true)
        {
            int number;
            lock (_random)
            {
                number = _random.Next(ApiCases.FirstTag, ApiCases.FirstTag + 1000);
            }

            var tag = $"VT-{number:D6}";
            var kind = (judged ? Interlocked.Increment(ref _sent) : number) % 3;
            using var request = kind switch
            {
                0 => new HttpRequestMessage(HttpMethod.Get, $"/tags/VT-{number - ApiCases.FirstTag + 1:D6}"),
                1 => new HttpRequestMessage(HttpMethod.Get, $"/tags/{tag}/scans"),
                _ => new HttpRequestMessage(HttpMethod.Post, $"/tags/{tag}/scans")
                {
                    Content = JsonContent.Create(new { location = "valid dock" }),
                    Headers = { { "Idempotency-Key", $"valid-{Guid.NewGuid()}" } },
                },
            };
            try
            {
                using var response = await _client.SendAsync(request);
                var body = await response.Content.ReadAsStringAsync();
                if (!judged)
                {
                    return;
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && kind == 1 && body.Contains("\"Shed\"", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref _shed);
                    return;
                }

                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref _unavailable);
                }

                if (!response.IsSuccessStatusCode)
                {
                    Failures.Enqueue($"{request.Method} {request.RequestUri} -> {(int)response.StatusCode} {body}");
                }
                else if (kind == 2)
                {
                    using var scan = JsonDocument.Parse(body);
                    ledger.Add((scan.RootElement.GetProperty("scanId").GetInt64(), scan.RootElement.GetProperty("tagId").GetString()!));
                }
            }
            catch (Exception exception) when (judged && exception is HttpRequestException or TaskCanceledException)
            {
                Failures.Enqueue($"{request.Method} {request.RequestUri} -> no answer: {exception.Message}");
            }
        }
    }
}
