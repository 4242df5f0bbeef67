using System.Net;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// A fault proxy in the app model: shown in the dashboard, and referenced by the API in place of the server it
/// fronts. Its connection string is the target's, pointed at the proxy.
/// </summary>
public sealed class FaultProxyResource(string name, IResourceWithConnectionString target, ConnectionStringShape shape)
    : Resource(name), IResourceWithConnectionString
{
    private TcpFaultProxy? _proxy;

    public IResourceWithConnectionString Target { get; } = target;

    public ConnectionStringShape Shape { get; } = shape;

    /// <summary>The running proxy, once the lab has started it.</summary>
    public TcpFaultProxy Proxy => _proxy ?? throw new InvalidOperationException($"The fault proxy {Name} has not started yet.");

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{new ProxiedConnectionString(this)}");

    internal void Attach(TcpFaultProxy proxy) => _proxy = proxy;

    /// <summary>The target's connection string with the proxy's address in place of the server's.</summary>
    private sealed class ProxiedConnectionString(FaultProxyResource proxy) : IValueProvider, IManifestExpressionProvider
    {
        public string ValueExpression => proxy.Target.ConnectionStringExpression.ValueExpression;

        public async ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default)
        {
            var original = await proxy.Target.ConnectionStringExpression.GetValueAsync(cancellationToken)
                ?? throw new InvalidOperationException($"{proxy.Target.Name} has no connection string yet.");
            return proxy.Shape.PointAt(original, new DnsEndPoint(IPAddress.Loopback.ToString(), proxy.Proxy.Port));
        }
    }
}
