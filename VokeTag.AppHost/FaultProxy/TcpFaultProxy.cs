using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one lab server (Redis or PostgreSQL), on the API's path to it. With no fault
/// it passes bytes through unchanged. Faults apply to new and existing connections at once: each chunk is read,
/// stamped with the time it may leave, and written by a second loop, so latency does not compound and data is never
/// dropped except by a blackhole. Its port never changes, also across Down and back.
/// </summary>
public sealed class TcpFaultProxy(string name, Func<CancellationToken, Task<DnsEndPoint>> upstream, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private const int ChunkSize = 16 * 1024;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<ProxyConnection, byte> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile IReadOnlyList<ProxyFault> _faults = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public string Name { get; } = name;

    public int Port { get; private set; }

    public IReadOnlyList<ProxyFault> Faults => _faults;

    public int OpenConnections => _connections.Count;

    /// <summary>Starts listening; the first start picks a free port (or <paramref name="port"/>), later starts reuse it.</summary>
    public Task StartAsync(int port = 0)
    {
        Listen(Port != 0 ? Port : port);
        return Task.CompletedTask;
    }

    /// <summary>Replaces the active faults. Reset and Down act on the existing connections immediately.</summary>
    public void Apply(IReadOnlyList<ProxyFault> faults)
    {
        _faults = faults;
        if (faults.Any(fault => fault.Kind is ProxyFaultKind.Reset or ProxyFaultKind.Down))
        {
            ResetAll();
        }

        var down = faults.Any(fault => fault.Kind == ProxyFaultKind.Down);
        if (down && _listener is not null)
        {
            StopListening();
        }
        else if (!down && _listener is null && Port != 0)
        {
            Listen(Port);
        }

        logger.LogInformation("Proxy {Proxy} faults: {Faults}", Name, faults.Count == 0 ? "none (pass-through)" : string.Join(", ", faults));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        StopListening();
        ResetAll();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(512);
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _listener = listener;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    private void StopListening()
    {
        var listener = Interlocked.Exchange(ref _listener, null);
        listener?.Dispose();
    }

    private void ResetAll()
    {
        foreach (var connection in _connections.Keys)
        {
            connection.Reset();
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException or OperationCanceledException)
            {
                return; // Down, or the proxy is shutting down
            }

            _ = HandleAsync(client);
        }
    }

    private async Task HandleAsync(Socket client)
    {
        client.NoDelay = true;
        if (_faults.Any(fault => fault.Kind is ProxyFaultKind.Reset or ProxyFaultKind.Down))
        {
            ProxyConnection.ResetSocket(client);
            return;
        }

        if (_faults.Any(fault => fault.Kind == ProxyFaultKind.Blackhole && fault.Affects(ProxyDirection.Upstream)))
        {
            await HoldAsync(client); // a partition: the connection opens, and nothing ever answers
            return;
        }

        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            connectTimeout.CancelAfter(ConnectTimeout);
            var target = await upstream(connectTimeout.Token);
            await server.ConnectAsync(target.Host, target.Port, connectTimeout.Token);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or InvalidOperationException)
        {
            // The server is down: the client sees its connection closed, as it would through Aspire's own proxy.
            ProxyConnection.ResetSocket(client);
            server.Dispose();
            return;
        }

        var connection = new ProxyConnection(client, server);
        _connections[connection] = 0;
        try
        {
            await Task.WhenAll(
                PumpAsync(client, server, ProxyDirection.Upstream, connection.Closing),
                PumpAsync(server, client, ProxyDirection.Downstream, connection.Closing));
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    /// <summary>Reads and discards until the client gives up or the blackhole is lifted (then the client must reconnect).</summary>
    private async Task HoldAsync(Socket client)
    {
        using (client)
        {
            var buffer = new byte[ChunkSize];
            try
            {
                while (_faults.Any(fault => fault.Kind == ProxyFaultKind.Blackhole) && await client.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token) > 0)
                {
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }

            ProxyConnection.ResetSocket(client);
        }
    }

    /// <summary>Reads chunks from <paramref name="from"/> and hands them, with the time each may leave, to a writer loop.</summary>
    private async Task PumpAsync(Socket from, Socket to, ProxyDirection direction, CancellationToken closing)
    {
        var chunks = Channel.CreateUnbounded<(byte[] Data, long DueTimestamp)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var writer = WriteLoopAsync(to, direction, chunks.Reader, closing);
        try
        {
            var buffer = new byte[ChunkSize];
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, closing);
                if (read == 0)
                {
                    break;
                }

                var faults = _faults;
                var delay = 0;
                if (faults.Count > 0) // the common case, pass-through, skips every fault lookup
                {
                    if (faults.Any(fault => fault.Kind == ProxyFaultKind.Blackhole && fault.Affects(direction)))
                    {
                        continue; // swallowed: the sender thinks it was sent, the receiver waits forever
                    }

                    delay = faults.Where(fault => fault.Kind == ProxyFaultKind.Latency && fault.Affects(direction))
                        .Select(fault => fault.LatencyMs + (fault.JitterMs == 0 ? 0 : Random.Shared.Next(-fault.JitterMs, fault.JitterMs + 1)))
                        .DefaultIfEmpty(0).Max();
                }

                var due = time.GetTimestamp() + (long)(Math.Max(0, delay) / 1000.0 * time.TimestampFrequency);
                chunks.Writer.TryWrite((buffer.AsSpan(0, read).ToArray(), due));
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            chunks.Writer.TryComplete();
            await writer;
        }
    }

    private async Task WriteLoopAsync(Socket to, ProxyDirection direction, ChannelReader<(byte[] Data, long DueTimestamp)> chunks, CancellationToken closing)
    {
        try
        {
            await foreach (var (data, due) in chunks.ReadAllAsync(closing))
            {
                var wait = time.GetElapsedTime(time.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, closing);
                }

                if (_faults is { Count: > 0 } faults
                    && faults.FirstOrDefault(fault => fault.Kind == ProxyFaultKind.Bandwidth && fault.Affects(direction)) is { } limit)
                {
                    await Task.Delay(TimeSpan.FromSeconds((double)data.Length / limit.BytesPerSecond), time, closing);
                }

                await to.SendAsync(data, SocketFlags.None, closing);
            }

            to.Shutdown(SocketShutdown.Send); // pass the end of the stream on
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
