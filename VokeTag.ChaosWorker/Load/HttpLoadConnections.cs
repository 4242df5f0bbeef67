using System.Runtime.CompilerServices;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// The load generator's HTTP/1.1 client for one run: keep-alive connections to one loopback endpoint, each carrying
/// one request at a time (<see cref="LoadConnection"/>). HttpClient spent about ten times wrk's CPU per request here
/// (150–250 µs against 17 µs), CPU that on a small machine is taken from the server being measured.
/// <para>
/// Aspire's proxy picks a replica per connection, so connections are renewed after <c>lifetime</c> to spread the
/// traffic over the replicas; a connection past its lifetime is closed when its answer is in and a new one opened in
/// the background, so no request waits for the renewal. An idle connection the server closed is never used (one poll
/// before each request), and a request that meets a kept-alive connection closed before any of its answer came is
/// sent again on a new one, as HttpClient and browsers do.
/// </para>
/// </summary>
internal sealed class HttpLoadConnections : ILoadTransport
{
    private readonly EndPoint _endpoint;
    private readonly RequestHead _head;
    private readonly TimeSpan _lifetime;
    private readonly TimeProvider _time;
    private readonly Activity? _sender;
    private readonly ConcurrentStack<LoadConnection> _idle = new();
    private readonly CancellationTokenSource _disposed = new();

    public HttpLoadConnections(Uri api, TimeSpan lifetime, TimeProvider time, Activity? parent)
    {
        _endpoint = EndpointOf(api);
        _head = new RequestHead(api.Authority, parent);
        _sender = parent;
        _lifetime = lifetime;
        _time = time;
    }

    public async ValueTask PrepareAsync(int connections, CancellationToken cancellationToken)
    {
        var opened = await Task.WhenAll(Enumerable.Range(0, connections)
            .Select(_ => LoadConnection.OpenAsync(_endpoint, _time.GetTimestamp(), cancellationToken).AsTask()));
        _idle.PushRange(opened);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<LoadAnswer> SendAsync(LoadRequest request, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connection = TakeIdle() ?? await LoadConnection.OpenAsync(_endpoint, _time.GetTimestamp(), cancellationToken);
            try
            {
                var (answer, keepAlive) = await connection.ExchangeAsync(request, _head, cancellationToken);
                Return(connection, keepAlive);
                return answer;
            }
            catch (StaleConnectionException)
            {
                connection.Dispose(); // and send again: a new or another idle connection
            }
            catch
            {
                connection.Dispose();
                throw;
            }
        }
    }

    private LoadConnection? TakeIdle()
    {
        while (_idle.TryPop(out var connection))
        {
            if (connection.IsUsable)
            {
                return connection;
            }

            connection.Dispose();
        }

        return null;
    }

    private void Return(LoadConnection connection, bool keepAlive)
    {
        var expired = _lifetime != Timeout.InfiniteTimeSpan && _time.GetElapsedTime(connection.OpenedAt) >= _lifetime;
        if (keepAlive && !expired && !_disposed.IsCancellationRequested)
        {
            _idle.Push(connection);
            return;
        }

        connection.Dispose();
        if (expired)
        {
            _ = RenewAsync();
        }
    }

    private async Task RenewAsync()
    {
        try
        {
            var connection = await LoadConnection.OpenAsync(_endpoint, _time.GetTimestamp(), _disposed.Token);
            _idle.Push(connection);
            if (_disposed.IsCancellationRequested && _idle.TryPop(out var late))
            {
                late.Dispose();
            }
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException)
        {
            // The next request opens one itself, and meets the failure there if it lasts.
        }
    }

    /// <summary>The API's address: loopback in the lab; a host name only in measure-only mode (<see cref="ConstantRateLoad"/> checks).</summary>
    private static EndPoint EndpointOf(Uri api) =>
        IPAddress.TryParse(api.IdnHost, out var parsed) ? new IPEndPoint(parsed, api.Port)
        : api.IsLoopback ? new IPEndPoint(IPAddress.Loopback, api.Port) // "localhost"
        : new DnsEndPoint(api.IdnHost, api.Port);

    public async ValueTask DisposeAsync()
    {
        await _disposed.CancelAsync();
        _head.LinkSample(_sender);
        while (_idle.TryPop(out var connection))
        {
            connection.Dispose();
        }
    }
}
