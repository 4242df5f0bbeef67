using System.Collections.Concurrent;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>The lab's running fault proxies, by resource name; disposing it closes them all.</summary>
public sealed class FaultProxies : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, TcpFaultProxy> _proxies = new();

    public IReadOnlyCollection<TcpFaultProxy> All => [.. _proxies.Values];

    public TcpFaultProxy? Find(string name) => _proxies.GetValueOrDefault(name);

    public string KnownNames => string.Join(", ", _proxies.Keys.Order());

    internal void Add(TcpFaultProxy proxy) => _proxies[proxy.Name] = proxy;

    public async ValueTask DisposeAsync()
    {
        foreach (var proxy in _proxies.Values)
        {
            await proxy.DisposeAsync();
        }
    }
}
