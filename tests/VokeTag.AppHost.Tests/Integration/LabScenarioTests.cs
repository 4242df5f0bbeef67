using Xunit.Abstractions;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;

namespace VokeTag.AppHost.Tests.Integration;

/// <summary>
/// What the lab promises, against the real servers: cache-aside reads, the Redis fallback, fail-fast 503s without
/// PostgreSQL, recovery after start, committed and idempotent scans, and restarts at stable addresses.
/// Each test leaves the lab healthy for the next.
/// </summary>
public abstract class LabScenarioTests<TLab>(TLab lab, ITestOutputHelper output) : IClassFixture<TLab> where TLab : LabFixture
{
    private static readonly TimeSpan RecoveryTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan FailFastBudget = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_verification_is_read_from_the_database_once_then_served_from_the_cache()
    {
        var tag = UnusedTag(1);

        var first = await lab.Api.GetAsync($"/tags/{tag}");
        var second = await lab.Api.GetAsync($"/tags/{tag}");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("database", ServedFrom(first));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("cache", ServedFrom(second));
        Assert.Contains(tag, await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Reads_fall_back_without_Redis_fail_fast_without_PostgreSQL_and_return_to_the_cache_after_start()
    {
        var tags = Enumerable.Range(0, 10).Select(i => UnusedTag(100 + i)).ToList();
        try
        {
            await lab.RunCommandAsync("cache", KnownResourceCommands.StopCommand);
            await LabWaits.StoppedAsync(lab.App, "cache", RecoveryTimeout);

            foreach (var tag in tags)
            {
                var stopwatch = Stopwatch.StartNew();
                var response = await lab.Api.GetAsync($"/tags/{tag}");
                output.WriteLine($"without Redis: GET /tags/{tag} -> {(int)response.StatusCode} {ServedFrom(response)} in {stopwatch.ElapsedMilliseconds} ms");
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal("fallback", ServedFrom(response));
            }

            await lab.RunCommandAsync("db", KnownResourceCommands.StopCommand);
            await LabWaits.StoppedAsync(lab.App, "db", RecoveryTimeout);

            foreach (var tag in tags)
            {
                var stopwatch = Stopwatch.StartNew();
                var response = await lab.Api.GetAsync($"/tags/{tag}");
                stopwatch.Stop();
                output.WriteLine($"without PostgreSQL: GET /tags/{tag} -> {(int)response.StatusCode} in {stopwatch.ElapsedMilliseconds} ms");

                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.True(stopwatch.Elapsed < FailFastBudget, $"503 took {stopwatch.ElapsedMilliseconds} ms; budget {FailFastBudget.TotalMilliseconds} ms");
                Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "503 without a Retry-After of at least 1 s");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }

            var write = await lab.Api.PostAsJsonAsync($"/tags/{tags[0]}/scans", new { location = "dock 1" });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, write.StatusCode);
        }
        finally
        {
            await lab.RunCommandAsync("db", KnownResourceCommands.StartCommand);
            await lab.RunCommandAsync("cache", KnownResourceCommands.StartCommand);
            await lab.AllHealthyAsync(RecoveryTimeout);
        }

        await EveryReplicaRecoversAsync(tags[0]);
    }

    [Fact]
    public async Task A_scan_acknowledged_with_2xx_is_committed_and_one_key_stores_one_row()
    {
        var tag = UnusedTag(200);
        var key = Guid.NewGuid().ToString();

        var created = await PostScanAsync(tag, key);
        var replayed = await PostScanAsync(tag, key);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode);
        Assert.Equal("true", replayed.Headers.GetValues("Idempotency-Replayed").Single());
        var createdScan = await created.Content.ReadFromJsonAsync<ScanBody>();
        var replayedScan = await replayed.Content.ReadFromJsonAsync<ScanBody>();
        Assert.Equal(createdScan!.ScanId, replayedScan!.ScanId);
        Assert.Equal(1, await RowsWithKeyAsync(key));
        Assert.Equal(1, await RowsWithIdAsync(createdScan.ScanId, tag));
    }

    [Fact]
    public async Task Concurrent_retries_with_one_key_store_exactly_one_row()
    {
        var tag = UnusedTag(300);
        var key = Guid.NewGuid().ToString();

        // Eight clients send the same write at once and, like any client holding an Idempotency-Key, retry on 503
        // (e.g. a cold connection pool after another test restarted the database). Safe retries are the point.
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostScanUntilAnsweredAsync(tag, key)));

        Assert.All(responses, response => Assert.True(response.IsSuccessStatusCode, $"got {(int)response.StatusCode}"));
        var scanIds = await Task.WhenAll(responses.Select(async response => (await response.Content.ReadFromJsonAsync<ScanBody>())!.ScanId));
        Assert.Single(scanIds.Distinct());
        // A write whose 503 came after its commit is replayed (200) on retry, so there may be no 201 at all, never two.
        Assert.True(responses.Count(response => response.StatusCode == HttpStatusCode.Created) <= 1, "more than one 201 for one key");
        Assert.Equal(1, await RowsWithKeyAsync(key));
    }

    [Fact]
    public async Task A_flood_of_NUL_bytes_is_the_callers_fault_breakers_stay_closed_and_valid_reads_all_succeed()
    {
        // Replays what once opened the PostgreSQL breaker on both replicas: 200 scans whose location holds a NUL byte,
        // 16 at a time. PostgreSQL refuses NUL in text (22021); that is the request's fault, not an outage.
        var tag = UnusedTag(600);
        await WarmUpAsync(concurrency: 16, UnusedTag(650));
        var before = await SteadyReplicasAsync();
        output.WriteLine($"before the flood: {Describe(before)}");
        using var gate = new SemaphoreSlim(16);
        var floods = await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            await gate.WaitAsync();
            try
            {
                using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
                using var response = await connection.PostAsync($"/tags/{tag}/scans",
                    new StringContent("{\"location\":\"a\\u0000b\"}", System.Text.Encoding.UTF8, "application/json"));
                return ((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
            }
            finally
            {
                gate.Release();
            }
        }));

        foreach (var answer in floods.GroupBy(flood => $"{flood.Item1} {System.Text.Json.JsonDocument.Parse(flood.Item3).RootElement.GetProperty("detail")}"))
        {
            output.WriteLine($"{answer.Count()}× {answer.Key}");
        }

        var body = floods[0].Item3;
        Assert.All(floods, flood => Assert.Equal((400, "application/problem+json"), (flood.Item1, flood.Item2)));
        // With edge checks the API names the character; without them PostgreSQL's own refusal is passed on, named.
        Assert.Contains(lab.ChecksTextAtTheEdge ? "U+0000" : "22021", body);
        Assert.Contains("location", body);

        // One after another, each on a new connection so both replicas answer. The history read is non-critical: a
        // replica still busy from the flood may shed it (503 with X-Shed and Retry-After), by design; a client that
        // honours Retry-After gets its answer. A 503 without X-Shed would be an outage, and fails at once.
        var reads = new List<HttpStatusCode>();
        var shed = 0;
        for (var i = 0; i < 100; i++)
        {
            for (var attempt = 1; ; attempt++)
            {
                using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
                using var response = await connection.GetAsync($"/tags/{UnusedTag(600 + i % 10)}/scans");
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable && response.Headers.Contains("X-Shed") && attempt < 5)
                {
                    shed++;
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                    continue;
                }

                reads.Add(response.StatusCode);
                break;
            }
        }

        output.WriteLine($"history reads after the flood: {reads.Count(read => read == HttpStatusCode.OK)} of 100 answered 200, {shed} shed on the way");
        Assert.All(reads, read => Assert.Equal(HttpStatusCode.OK, read));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM scans WHERE tag_id = $1", tag));
        var after = await BothReplicasAsync();
        output.WriteLine($"after the flood: {Describe(after)}");
        Assert.All(after, replica => Assert.All(replica.Value.Circuits, circuit => Assert.Equal("closed", circuit.Value)));
        Assert.All(after, replica => Assert.Equal(before[replica.Key].BreakerOpenings, replica.Value.BreakerOpenings)); // no trip, not even one that closed again
    }

    [Theory]
    [InlineData("cache", "tcp")]
    [InlineData("db", "tcp")]
    [InlineData("chaos", "http")]
    public async Task A_restarted_resource_comes_back_healthy_at_the_same_address(string resource, string endpoint)
    {
        var before = lab.App.GetEndpoint(resource, endpoint);

        await LabWaits.RestartedAsync(lab.App, resource,
            () => lab.RunCommandAsync(resource, KnownResourceCommands.RestartCommand), RecoveryTimeout);

        Assert.Equal(before, lab.App.GetEndpoint(resource, endpoint));
        await lab.AllHealthyAsync(RecoveryTimeout);
        await EveryReplicaRecoversAsync(UnusedTag(500));
    }

    [Fact]
    public async Task One_restarted_API_replica_comes_back_while_the_other_keeps_answering()
    {
        var replicas = await LabWaits.InstanceIdsAsync(lab.App, "api", RecoveryTimeout);
        Assert.Equal(2, replicas.Length);
        Assert.True(lab.App.ResourceNotifications.TryGetCurrentState(replicas[1], out var untouchedBefore));

        await LabWaits.RestartedAsync(lab.App, "api",
            () => lab.RunReplicaCommandAsync(replicas[0], KnownResourceCommands.RestartCommand), RecoveryTimeout);

        Assert.True(lab.App.ResourceNotifications.TryGetCurrentState(replicas[1], out var untouchedAfter));
        Assert.Equal(untouchedBefore!.Snapshot.StartTimeStamp, untouchedAfter!.Snapshot.StartTimeStamp);
        await EveryReplicaRecoversAsync(UnusedTag(400));
    }

    /// <summary>
    /// Waits until each replica serves the tag from the cache, reads the database and reports both circuits closed.
    /// Each round uses a new connection, kept for its three requests, so the proxy spreads rounds over both replicas.
    /// </summary>
    private async Task EveryReplicaRecoversAsync(string tag)
    {
        var recovered = new HashSet<string>();
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        while (recovered.Count < 2)
        {
            Assert.False(timeout.IsCancellationRequested, $"only {recovered.Count} replica(s) recovered within {RecoveryTimeout}");
            using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
            var read = await connection.GetAsync($"/tags/{tag}", timeout.Token);
            var history = await connection.GetAsync($"/tags/{tag}/scans", timeout.Token);
            var replica = await connection.GetFromJsonAsync<DiagnosticsBody>("/diagnostics", timeout.Token);
            Assert.NotEqual(HttpStatusCode.InternalServerError, read.StatusCode);
            Assert.NotEqual(HttpStatusCode.InternalServerError, history.StatusCode);

            if (ServedFrom(read) == "cache" && history.StatusCode == HttpStatusCode.OK
                && replica!.Circuits.Values.All(state => state == "closed"))
            {
                recovered.Add(replica.Replica);
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token); // poll interval while the breakers close
            }
        }
    }

    /// <summary>
    /// A few rounds of concurrent valid writes and reads, answers not judged: a freshly started API JIT-compiles its
    /// paths and opens its pooled connections on first use, and that can miss the 500 ms budget (a 503) on a 2-core
    /// machine. The tests that need a steady lab start from a warm one, as a production API would be.
    /// </summary>
    private async Task WarmUpAsync(int concurrency, string tag)
    {
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async i =>
            {
                using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
                using var response = i % 2 == 0
                    ? await connection.PostAsJsonAsync($"/tags/{tag}/scans", new { location = "warm-up" })
                    : await connection.GetAsync($"/tags/{tag}");
            }));
        }
    }

    /// <summary>Both replicas once both report every breaker closed (a warm-up on a fresh lab may have tripped one).</summary>
    private async Task<Dictionary<string, DiagnosticsBody>> SteadyReplicasAsync()
    {
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        while (true)
        {
            var replicas = await BothReplicasAsync();
            if (replicas.Values.All(replica => replica.Circuits.Values.All(state => state == "closed")))
            {
                return replicas;
            }

            output.WriteLine($"waiting for closed breakers: {Describe(replicas)}");
            await Task.Delay(TimeSpan.FromMilliseconds(500), timeout.Token); // poll interval while a break runs out
            using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
            // A breaker half-opens on the next call: one through each dependency.
            using var read = await connection.GetAsync($"/tags/{UnusedTag(650)}", timeout.Token);
            using var history = await connection.GetAsync($"/tags/{UnusedTag(650)}/scans", timeout.Token);
        }
    }

    private static string Describe(Dictionary<string, DiagnosticsBody> replicas) => string.Join("; ", replicas.Select(replica =>
        $"{replica.Key}: {string.Join(", ", replica.Value.Circuits.Select(circuit => $"{circuit.Key} {circuit.Value} (opened {replica.Value.BreakerOpenings[circuit.Key]}×)"))}"));

    /// <summary>What each replica's <c>/diagnostics</c> says, over fresh connections until both have answered.</summary>
    private async Task<Dictionary<string, DiagnosticsBody>> BothReplicasAsync()
    {
        var seen = new Dictionary<string, DiagnosticsBody>();
        using var timeout = new CancellationTokenSource(RecoveryTimeout);
        while (seen.Count < 2)
        {
            using var connection = new HttpClient { BaseAddress = lab.Api.BaseAddress, Timeout = lab.Api.Timeout };
            var replica = await connection.GetFromJsonAsync<DiagnosticsBody>("/diagnostics", timeout.Token);
            seen.TryAdd(replica!.Replica, replica);
        }

        return seen;
    }

    private Task<HttpResponseMessage> PostScanAsync(string tag, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/tags/{tag}/scans") { Content = JsonContent.Create(new { location = "dock 4" }) };
        request.Headers.Add("Idempotency-Key", key);
        return lab.Api.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostScanUntilAnsweredAsync(string tag, string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await PostScanAsync(tag, key);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return response;
            }

            output.WriteLine($"attempt {attempt}: 503 {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1)); // what Retry-After asks for
        }
    }

    private async Task<long> RowsWithKeyAsync(string key) =>
        await ScalarAsync("SELECT count(*) FROM scans WHERE idempotency_key = $1", key);

    private async Task<long> RowsWithIdAsync(long scanId, string tag) =>
        await ScalarAsync("SELECT count(*) FROM scans WHERE id = $1::bigint AND tag_id = $2", scanId.ToString(), tag);

    private async Task<long> ScalarAsync(string sql, params string[] values)
    {
        var connectionString = await lab.App.GetConnectionStringAsync("voketag");
        // No pooling: a pooled connection would not survive the database restarts that other tests cause.
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static string? ServedFrom(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Served-From", out var values) ? values.Single() : null;

    /// <summary>A tag no other test in this run reads, so that cache state from one test never leaks into another.</summary>
    private static string UnusedTag(int offset) =>
        $"VT-{(typeof(TLab) == typeof(RedisServerLab) ? 1_000 : 5_000) + offset:D6}";

    private sealed record ScanBody(long ScanId, string TagId);

    private sealed record DiagnosticsBody(string Replica, Dictionary<string, string> Circuits, Dictionary<string, long> BreakerOpenings);
}

[Collection(LabCollection.Name)]
public sealed class RedisServerLabTests(RedisServerLab lab, ITestOutputHelper output) : LabScenarioTests<RedisServerLab>(lab, output);

[Collection(LabCollection.Name)]
public sealed class EmbeddedRedisLabTests(EmbeddedRedisLab lab, ITestOutputHelper output) : LabScenarioTests<EmbeddedRedisLab>(lab, output);

/// <summary>One lab at a time: two on a 2-core machine would make every latency assertion a coin toss.</summary>
[CollectionDefinition(Name)]
public sealed class LabCollection
{
    public const string Name = "lab";
}
