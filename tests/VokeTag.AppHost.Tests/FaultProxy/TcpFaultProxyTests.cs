using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using VokeTag.AppHost.FaultProxy;

namespace VokeTag.AppHost.Tests.FaultProxy;

/// <summary>
/// In the lab collection on purpose: the latency and bandwidth checks measure real time, so they run when no lab is
/// starting on the other core.
/// </summary>
[Collection(Integration.LabCollection.Name)]
public sealed class TcpFaultProxyTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly EchoServer _echo = new();
    private TcpFaultProxy _proxy = null!;

    public async Task InitializeAsync()
    {
        _proxy = new TcpFaultProxy("test", _ => Task.FromResult(_echo.EndPoint), TimeProvider.System, NullLogger.Instance);
        await _proxy.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _echo.DisposeAsync();
    }

    [Fact]
    public void A_hidden_game_day_rounds_faults_are_described_by_the_round_only()
    {
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Latency, ProxyDirection.Both, LatencyMs: 1000)], hiddenBy: "chaos run gd-1a2b3c-r1");
        Assert.Equal("fault held by chaos run gd-1a2b3c-r1, described after the round", _proxy.Describe());

        _proxy.Apply([]);
        Assert.Equal("none (pass-through)", _proxy.Describe());

        _proxy.Apply([new ProxyFault(ProxyFaultKind.Latency, ProxyDirection.Both, LatencyMs: 1000)]);
        Assert.Contains("1000", _proxy.Describe(), StringComparison.Ordinal); // an ordinary run's says what it does
        _proxy.Apply([]);
    }

    [Fact]
    public async Task Without_faults_large_payloads_pass_through_byte_exact()
    {
        using var client = await ConnectAsync();
        var payload = RandomNumberGenerator.GetBytes(8 * 1024 * 1024);

        var sending = client.GetStream().WriteAsync(payload).AsTask();
        var echoed = await ReadExactlyAsync(client, payload.Length);
        await sending;

        Assert.Equal(SHA256.HashData(payload), SHA256.HashData(echoed));
    }

    [Fact]
    public async Task Latency_of_100_ms_is_added_within_ten_percent()
    {
        using var client = await ConnectAsync();
        await RoundTripAsync(client); // connection warmed up before timing
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Latency, ProxyDirection.Upstream, LatencyMs: 100)]);

        var roundTrips = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            roundTrips.Add((await RoundTripAsync(client)).TotalMilliseconds);
        }

        var median = roundTrips.Order().ElementAt(2);
        Assert.InRange(median, 90, 110);
    }

    [Fact]
    public async Task Without_faults_the_proxy_allocates_nothing_per_chunk()
    {
        using var direct = new TcpClient { NoDelay = true };
        await direct.ConnectAsync(_echo.EndPoint.Host, _echo.EndPoint.Port);
        using var proxied = await ConnectAsync();
        var message = RandomNumberGenerator.GetBytes(1024);
        var echo = new byte[message.Length];
        const int RoundTrips = 2000;

        async Task<long> AllocatedOverAsync(TcpClient client)
        {
            await EchoAsync(client, message, echo, 100); // warmed up: buffers rented, code jitted
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await EchoAsync(client, message, echo, RoundTrips);
            return GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        var throughEchoAlone = await AllocatedOverAsync(direct);
        var throughProxy = await AllocatedOverAsync(proxied);

        // The client and the echo server allocate the same either way; what the proxy adds per chunk (two per round
        // trip) must be nothing of its own: a copy of each 1 KiB chunk would be over 1,024 bytes. What remains is the
        // runtime's: thread-pool work items when a socket operation pends, which a contended machine makes common
        // (measured here: under 10 bytes per chunk idle, 65-67 with three busy loops on 2 cores).
        var addedPerChunk = (throughProxy - throughEchoAlone) / (2.0 * RoundTrips);
        Assert.True(addedPerChunk < 256, $"the proxy allocated {addedPerChunk:0} bytes per 1 KiB chunk (echo alone: {throughEchoAlone / RoundTrips} bytes per round trip)");
    }

    [Fact]
    public async Task Data_held_by_a_latency_fault_keeps_its_order_when_the_fault_is_lifted_mid_stream()
    {
        using var client = await ConnectAsync();
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Latency, ProxyDirection.Upstream, LatencyMs: 50)]);
        var sent = new List<byte>();
        var stream = client.GetStream();
        for (var message = 0; message < 60; message++)
        {
            var bytes = BitConverter.GetBytes(message);
            await stream.WriteAsync(bytes);
            sent.AddRange(bytes);
            if (message == 30)
            {
                _proxy.Apply([]); // half of it is still held when the fault goes
            }
        }

        Assert.Equal(sent.ToArray(), await ReadExactlyAsync(client, sent.Count));
        Assert.Empty(_proxy.Faults);
    }

    [Fact]
    public async Task A_blackhole_holds_data_until_it_is_lifted_and_the_connection_survives()
    {
        using var client = await ConnectAsync();
        // Through to the server first: a connection the proxy accepts while a blackhole is on is held and reset when it
        // lifts (the client must reconnect); this test is about one that was already open.
        await RoundTripAsync(client);
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Blackhole)]);

        await client.GetStream().WriteAsync("lost"u8.ToArray());
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetStream().ReadExactlyAsync(new byte[4], shortWait.Token));

        _proxy.Apply([]);
        Assert.True((await RoundTripAsync(client)) < Patience);
    }

    [Fact]
    public async Task A_connection_opened_into_a_blackhole_is_held_and_reset_when_it_lifts_even_if_its_client_waits_silently()
    {
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Blackhole)]);
        using var client = await ConnectAsync();

        // Like Npgsql's cancel request: it sends its few bytes, then waits, with no timeout, for the server to close.
        await client.GetStream().WriteAsync("cancel"u8.ToArray());
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetStream().ReadExactlyAsync(new byte[1], shortWait.Token));

        _proxy.Apply([]);
        using var patience = new CancellationTokenSource(Patience);
        var reset = await Assert.ThrowsAnyAsync<IOException>(async () => await client.GetStream().ReadExactlyAsync(new byte[1], patience.Token));
        Assert.Equal(SocketError.ConnectionReset, (reset.InnerException as SocketException)?.SocketErrorCode);
    }

    [Fact]
    public async Task A_server_closing_behind_a_blackhole_is_not_seen_until_the_blackhole_lifts()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        await using var proxy = new TcpFaultProxy("closing", _ => Task.FromResult(new System.Net.DnsEndPoint("127.0.0.1", ((System.Net.IPEndPoint)listener.LocalEndpoint).Port)),
            TimeProvider.System, NullLogger.Instance);
        await proxy.StartAsync();
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", proxy.Port);
        using var server = await listener.AcceptTcpClientAsync();
        proxy.Apply([new ProxyFault(ProxyFaultKind.Blackhole)]);

        server.Close(); // the server goes away behind the partition
        using var shortWait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await client.GetStream().ReadExactlyAsync(new byte[1], shortWait.Token));

        proxy.Apply([]);
        using var patience = new CancellationTokenSource(Patience);
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[1], patience.Token)); // now the close arrives
    }

    [Fact]
    public async Task Reset_resets_existing_connections_and_refuses_new_ones()
    {
        using var client = await ConnectAsync();
        await RoundTripAsync(client);

        _proxy.Apply([new ProxyFault(ProxyFaultKind.Reset)]);

        var reset = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await client.GetStream().WriteAsync(new byte[] { 1 });
            var read = await client.GetStream().ReadAsync(new byte[1]);
            if (read == 0)
            {
                throw new EndOfStreamException("closed without reset");
            }
        });
        Assert.True(reset is IOException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionReset } }, reset.ToString());

        // A new connection is reset as soon as it is accepted: at connect, or at the first read.
        var refused = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            using var next = await ConnectAsync();
            await next.GetStream().WriteAsync(new byte[] { 1 });
            if (await next.GetStream().ReadAsync(new byte[1]) == 0)
            {
                throw new EndOfStreamException();
            }
        });
        Assert.True(refused is SocketException or IOException or EndOfStreamException, refused.ToString());
    }

    [Fact]
    public async Task Down_refuses_connections_and_comes_back_on_the_same_port()
    {
        var port = _proxy.Port;
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Down)]);

        var refused = await Assert.ThrowsAsync<SocketException>(async () => (await ConnectAsync()).Dispose());
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        _proxy.Apply([]);
        Assert.Equal(port, _proxy.Port);
        using var client = await ConnectAsync();
        await RoundTripAsync(client);
    }

    [Fact]
    public async Task Bandwidth_caps_throughput()
    {
        using var client = await ConnectAsync();
        _proxy.Apply([new ProxyFault(ProxyFaultKind.Bandwidth, ProxyDirection.Downstream, BytesPerSecond: 64 * 1024)]);
        var payload = RandomNumberGenerator.GetBytes(64 * 1024);

        var stopwatch = Stopwatch.StartNew();
        await client.GetStream().WriteAsync(payload);
        var echoed = await ReadExactlyAsync(client, payload.Length);

        Assert.Equal(payload, echoed);
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(900), $"64 KiB at 64 KiB/s took {stopwatch.ElapsedMilliseconds} ms");
    }

    [Theory]
    [InlineData(ProxyFaultKind.Latency, 0, 0, 0, "latencyMs")]
    [InlineData(ProxyFaultKind.Latency, 100, 200, 0, "jitterMs")]
    [InlineData(ProxyFaultKind.Bandwidth, 0, 0, 0, "bytesPerSecond")]
    public void A_bad_fault_names_its_field(ProxyFaultKind kind, int latencyMs, int jitterMs, long bytesPerSecond, string field)
    {
        var problem = Assert.Single(new ProxyFault(kind, LatencyMs: latencyMs, JitterMs: jitterMs, BytesPerSecond: bytesPerSecond).Validate());

        Assert.StartsWith(field, problem);
    }

    private async Task<TcpClient> ConnectAsync()
    {
        var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", _proxy.Port);
        return client;
    }

    private static async Task EchoAsync(TcpClient client, byte[] message, byte[] echo, int times)
    {
        var stream = client.GetStream();
        for (var i = 0; i < times; i++)
        {
            await stream.WriteAsync(message);
            await stream.ReadExactlyAsync(echo);
        }
    }

    private static async Task<TimeSpan> RoundTripAsync(TcpClient client)
    {
        var stopwatch = Stopwatch.StartNew();
        await client.GetStream().WriteAsync("ping"u8.ToArray());
        await ReadExactlyAsync(client, 4);
        return stopwatch.Elapsed;
    }

    private static async Task<byte[]> ReadExactlyAsync(TcpClient client, int length)
    {
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[length];
        await client.GetStream().ReadExactlyAsync(buffer, timeout.Token);
        return buffer;
    }
}
