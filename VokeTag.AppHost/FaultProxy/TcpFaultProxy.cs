using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// A TCP proxy on 127.0.0.1 in front of one lab server (Redis or PostgreSQL), on the API's path to it, connected to the
/// server itself. With no fault it passes bytes straight through (<see cref="ProxyPump"/>). Faults apply to new and
/// existing connections at once; latency does not compound and data is never dropped except by a blackhole. Its port
/// never changes, also across Down and back.
/// </summary>
public sealed class TcpFaultProxy(string name, Func<CancellationToken, Task<DnsEndPoint>> upstream, TimeProvider time, ILogger logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<ProxyConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<Socket, byte> _held = new();
    private readonly CancellationTokenSource _stopping = new();
    private volatile IReadOnlyList<ProxyFault> _faults = [];
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public string Name { get; } = name;

    public int Port { get; private set; }

    public IReadOnlyList<ProxyFault> Faults => _faults;

    public int OpenConnections => _connections.Count;

    /// <summary>The hidden game-day round whose faults this proxy carries, if any.</summary>
    public string? HiddenBy { get; private set; }

    /// <summary>What the proxy does, as its health check and log say it; a hidden round's faults are named by the round only.</summary>
    public string Describe() =>
        _faults.Count == 0 ? "none (pass-through)"
        : HiddenBy is { } round ? $"fault held by {round}, described after the round"
        : string.Join(", ", _faults);

    private IReadOnlyList<ProxyFault> CurrentFaults() => _faults;

    /// <summary>Starts listening; the first start picks a free port (or <paramref name="port"/>), later starts reuse it.</summary>
    public Task StartAsync(int port = 0)
    {
        Listen(Port != 0 ? Port : port);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Replaces the active faults. Reset and Down act on the existing connections immediately; lifting a blackhole
    /// resets the connections it held since they opened (they never reached the server).
    /// </summary>
    /// <param name="hiddenBy">The hidden game-day round that holds the faults: descriptions name it, not the faults.</param>
    public void Apply(IReadOnlyList<ProxyFault> faults, string? hiddenBy = null)
    {
        _faults = faults;
        HiddenBy = faults.Count == 0 ? null : hiddenBy;
        if (faults.Any(fault => fault.Kind is ProxyFaultKind.Reset or ProxyFaultKind.Down))
        {
            ResetAll();
        }
        else if (!HoldsNewConnections(faults))
        {
            ResetHeld();
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

        logger.LogInformation("Proxy {Proxy} faults: {Faults}", Name, Describe());
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

        ResetHeld();
    }

    private void ResetHeld()
    {
        foreach (var client in _held.Keys)
        {
            ProxyConnection.ResetSocket(client);
        }
    }

    /// <summary>A blackhole on the way to the server: a new connection opens and is held, never connected through.</summary>
    private static bool HoldsNewConnections(IReadOnlyList<ProxyFault> faults) =>
        faults.Any(fault => fault.Kind == ProxyFaultKind.Blackhole && fault.Affects(ProxyDirection.Upstream));

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

        if (HoldsNewConnections(_faults))
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
                new ProxyPump(client, server, ProxyDirection.Upstream, CurrentFaults, time).RunAsync(connection.Closing),
                new ProxyPump(server, client, ProxyDirection.Downstream, CurrentFaults, time).RunAsync(connection.Closing));
        }
        finally
        {
            _connections.TryRemove(connection, out _);
            connection.Dispose();
        }
    }

    /// <summary>
    /// Reads and discards until the client gives up or the blackhole is lifted: then <see cref="Apply"/> resets it and the
    /// client must reconnect. A client that sent everything and waits (Npgsql's cancel request waits, with no timeout, for
    /// the server to close) is released then too, not held until the lab stops.
    /// </summary>
    private async Task HoldAsync(Socket client)
    {
        using (client)
        {
            _held[client] = 0;
            var buffer = new byte[4096];
            try
            {
                // Lifted between the check in HandleAsync and the line above: not held at all.
                while (HoldsNewConnections(_faults) && await client.ReceiveAsync(buffer, SocketFlags.None, _stopping.Token) > 0)
                {
                }
            }
            catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
            finally
            {
                _held.TryRemove(client, out _);
            }

            ProxyConnection.ResetSocket(client);
        }
    }
}
