using System.Net;
using System.Net.Sockets;

namespace VokeTag.AppHost.FaultProxy;

public static class DirectServerEndpoint
{
    /// <summary>
    /// Takes Aspire's own proxy off a lab server's endpoint, so the fault proxy in front of it connects to the server
    /// itself: one hop on the API's path, not two, and what the lab measures is the server, not a chain of proxies. The
    /// server gets a free port on 127.0.0.1, chosen at start: a local process listens on it, a container is published
    /// on it. It stays the same across stop and start, as the proxied port did.
    /// </summary>
    public static IResourceBuilder<T> WithDirectEndpoint<T>(this IResourceBuilder<T> server, string endpointName)
        where T : IResourceWithEndpoints
    {
        var port = FreeLoopbackPort();
        return server.WithEndpoint(endpointName, endpoint =>
        {
            endpoint.IsProxied = false;
            endpoint.Port = port;
            if (server.Resource is ContainerResource)
            {
                endpoint.TargetHost = IPAddress.Loopback.ToString(); // published on 127.0.0.1 only, never on every interface
            }
            else
            {
                endpoint.TargetPort = port; // a process listens on the published port itself
            }
        });
    }

    private static int FreeLoopbackPort()
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
