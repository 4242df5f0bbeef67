using System.Net.Sockets;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>A client socket and its server socket; resetting one pair ends both pumps.</summary>
internal sealed class ProxyConnection(Socket client, Socket server) : IDisposable
{
    private readonly CancellationTokenSource _closing = new();

    public CancellationToken Closing => _closing.Token;

    public void Reset()
    {
        ResetSocket(client);
        ResetSocket(server);
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        client.Dispose();
        server.Dispose();
        _closing.Dispose();
    }

    /// <summary>Closes with linger 0, so the peer gets a TCP RST ("connection reset by peer"), not a clean FIN.</summary>
    public static void ResetSocket(Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
            socket.Close();
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
        }
    }
}
