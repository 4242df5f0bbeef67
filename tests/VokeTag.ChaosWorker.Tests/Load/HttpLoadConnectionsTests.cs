using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

/// <summary>The load generator's own HTTP/1.1 client against a real Kestrel on loopback, and against a server that misbehaves.</summary>
public sealed class HttpLoadConnectionsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly ConcurrentBag<string> _connections = [];
    private readonly ConcurrentQueue<(string Method, string Path, string? Key, string Body)> _received = new();
    private WebApplication _server = null!;
    private Uri _api = null!;

    public async Task InitializeAsync()
    {
        (_server, _api) = await LoopbackServer.StartAsync(server => Routes(server));
    }

    private void Routes(WebApplication server)
    {
        server.Use(async (context, next) =>
        {
            _connections.Add(context.Connection.Id);
            using var reader = new StreamReader(context.Request.Body);
            _received.Enqueue((context.Request.Method, context.Request.Path, context.Request.Headers["Idempotency-Key"].FirstOrDefault(), await reader.ReadToEndAsync()));
            context.Response.Headers["X-Replica"] = "pid-1";
            await next(context);
        });
        server.MapGet("/tags/{id}", (HttpContext context) =>
        {
            context.Response.Headers["X-Served-From"] = "cache";
            return Results.Ok(new { id = context.Request.RouteValues["id"] });
        });
        // A body written in pieces and flushed: Kestrel sends it chunked, and it is larger than a connection's buffer.
        server.MapGet("/tags/{id}/scans", async (HttpContext context) =>
        {
            context.Response.StatusCode = 503;
            context.Response.Headers["X-Shed"] = "concurrency";
            for (var piece = 0; piece < 5; piece++)
            {
                await context.Response.WriteAsync(new string('x', LoadConnection.BufferSize / 2));
                await context.Response.Body.FlushAsync();
            }
        });
        server.MapPost("/tags/{id}/scans", () => Results.Created("/tags/VT-000001/scans/1", new { scanId = 1 }));
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Answers_with_a_length_or_chunked_are_read_whole_and_the_connection_carries_the_next_request()
    {
        await using var transport = new HttpLoadConnections(_api, TimeSpan.FromMinutes(1), TimeProvider.System, parent: null);

        var verified = await transport.SendAsync(new LoadRequest(RequestKind.Verify, 42, null), CancellationToken.None);
        var shed = await transport.SendAsync(new LoadRequest(RequestKind.History, 42, null), CancellationToken.None);
        var scanned = await transport.SendAsync(new LoadRequest(RequestKind.Scan, 7, "run-1-3"), CancellationToken.None);

        Assert.Equal(new LoadAnswer(200, "cache", "pid-1", null, null), verified);
        Assert.Equal(new LoadAnswer(503, null, "pid-1", "concurrency", null), shed);
        Assert.Equal(201, scanned.StatusCode);
        Assert.Equal(
            [("GET", "/tags/VT-000042", null, ""), ("GET", "/tags/VT-000042/scans", null, ""), ("POST", "/tags/VT-000007/scans", "run-1-3", """{"location":"chaos-lab"}""")],
            _received.ToArray());
        Assert.Single(_connections.Distinct()); // kept alive
    }

    [Fact]
    public async Task A_connection_past_its_lifetime_is_replaced_and_no_request_fails_for_it()
    {
        await using var transport = new HttpLoadConnections(_api, TimeSpan.Zero, TimeProvider.System, parent: null);

        for (var request = 0; request < 5; request++)
        {
            var answer = await transport.SendAsync(new LoadRequest(RequestKind.Verify, 1, null), CancellationToken.None);
            Assert.Equal(200, answer.StatusCode);
        }

        Assert.Equal(5, _connections.Distinct().Count());
    }

    [Fact]
    public async Task A_request_with_no_answer_ends_when_its_token_is_cancelled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        await using var transport = new HttpLoadConnections(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"), TimeSpan.FromMinutes(1), TimeProvider.System, parent: null);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            async () => await transport.SendAsync(new LoadRequest(RequestKind.Verify, 1, null), timeout.Token));
    }

    [Fact]
    public async Task A_kept_alive_connection_the_server_closed_is_not_an_error_and_a_refused_one_is()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = 0;
        // Answers one request per connection, then closes it: as a server does after its keep-alive timeout.
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var client = await listener.AcceptTcpClientAsync();
                Interlocked.Increment(ref accepted);
                var stream = client.GetStream();
                var buffer = new byte[4096];
                await stream.ReadAtLeastAsync(buffer, 1);
                await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Replica: pid-9\r\n\r\nok"u8.ToArray());
                await Task.Delay(50);
            }
        });
        var transport = new HttpLoadConnections(new Uri($"http://127.0.0.1:{port}"), TimeSpan.FromMinutes(1), TimeProvider.System, parent: null);
        await using (transport)
        {
            for (var request = 0; request < 3; request++)
            {
                var answer = await transport.SendAsync(new LoadRequest(RequestKind.Verify, 1, null), CancellationToken.None).AsTask().WaitAsync(Wait);
                Assert.Equal(new LoadAnswer(200, null, "pid-9", null, null), answer);
                await Task.Delay(150); // the server has closed the connection by now
            }

            Assert.Equal(3, Volatile.Read(ref accepted));
            listener.Stop();
            await Assert.ThrowsAsync<IOException>(async () => await transport.SendAsync(new LoadRequest(RequestKind.Verify, 1, null), CancellationToken.None));
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "before the answer's body was complete")]
    [InlineData("SSH-2.0-OpenSSH_9.2\r\n\r\n", "Not an HTTP/1.x status line")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n", "Content-Length that is not a number")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size that is not a hexadecimal number")]
    public async Task A_malformed_or_cut_answer_is_an_error_that_says_what_was_wrong(string answer, string expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var serving = Task.Run(async () =>
        {
            using var client = await listener.AcceptTcpClientAsync();
            var stream = client.GetStream();
            await stream.ReadAtLeastAsync(new byte[4096], 1);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer));
        });
        await using var transport = new HttpLoadConnections(new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}"), TimeSpan.FromMinutes(1), TimeProvider.System, parent: null);

        var failure = await Assert.ThrowsAsync<IOException>(async () =>
            await transport.SendAsync(new LoadRequest(RequestKind.Verify, 1, null), CancellationToken.None).AsTask().WaitAsync(Wait));

        Assert.Contains(expected, failure.Message);
        await serving;
    }
}
