using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace VokeTag.Bench.Performance;

/// <summary>
/// HAProxy in TCP mode in front of the same two servers, on 127.0.0.1: an event-loop proxy written in C, the yardstick
/// for what any user-space proxy costs on this machine (each byte crosses the loopback twice more and wakes one more
/// process). It runs in the foreground for the sitting and is stopped with it, and under coreutils' <c>timeout</c> so
/// that it stops by itself within <see cref="Lifetime"/> even if the benchmark is killed.
/// </summary>
public sealed class ReferenceProxy : IAsyncDisposable
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(10);

    /// <summary>Far more than the throughput part needs (about 5 minutes at 3 rounds, 10 rounds at most).</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly Process _process;
    private readonly Task<string> _errors;
    private readonly string _configFile;

    private ReferenceProxy(Process process, string configFile, string version, RedisAddress cache, PostgresAddress db)
    {
        (_process, _configFile, Version, Cache, Db) = (process, configFile, version, cache, db);
        _errors = process.StandardError.ReadToEndAsync(); // drained as it comes, so a full pipe never stalls it
    }

    /// <summary>Its name and version, e.g. "HAProxy 2.6.12".</summary>
    public string Version { get; }

    /// <summary>Redis through HAProxy.</summary>
    public RedisAddress Cache { get; }

    /// <summary>PostgreSQL through HAProxy.</summary>
    public PostgresAddress Db { get; }

    public static async Task<ReferenceProxy> StartAsync(RedisAddress cache, PostgresAddress db)
    {
        var tool = ExternalTool.Find("haproxy")
            ?? throw new BenchUsageException("haproxy is not on PATH; install the Debian package haproxy (bench/run.sh does).");
        // "HAProxy version 2.6.12-1+deb12u4 2026/10/17 - https://haproxy.org/" → "HAProxy 2.6.12"
        var words = (await ExternalTool.RunAsync(tool, ["-v"], StartLimit)).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var version = words.Length > 2 ? $"HAProxy {words[2].Split('-')[0]}" : "HAProxy";

        var (cachePort, dbPort) = (FreePort(), FreePort());
        var configFile = Path.Combine(Path.GetTempPath(), $"voketag-bench-haproxy-{Environment.ProcessId}.cfg");
        await File.WriteAllTextAsync(configFile, string.Create(CultureInfo.InvariantCulture, $"""
            global
              maxconn 1000
            defaults
              mode tcp
              timeout connect 5s
              timeout client 5m
              timeout server 5m
            listen cache
              bind 127.0.0.1:{cachePort}
              server redis {cache.Host}:{cache.Port}
            listen db
              bind 127.0.0.1:{dbPort}
              server postgres {db.Host}:{db.Port}

            """));

        var start = new ProcessStartInfo("timeout")
        {
            ArgumentList = { "--kill-after=5", $"{Lifetime.TotalSeconds:0}", tool, "-db", "-q", "-f", configFile },
            RedirectStandardError = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start haproxy");
        var proxy = new ReferenceProxy(process, configFile, version, cache with { Port = cachePort }, db with { Port = dbPort });
        try
        {
            await proxy.WaitUntilListeningAsync(cachePort, dbPort);
            return proxy;
        }
        catch
        {
            await proxy.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true); // timeout and haproxy
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_configFile);
    }

    private async Task WaitUntilListeningAsync(params int[] ports)
    {
        var deadline = Stopwatch.StartNew();
        foreach (var port in ports)
        {
            while (!await AcceptsAsync(port))
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"haproxy exited {_process.ExitCode}: {(await _errors).Trim()}");
                }

                if (deadline.Elapsed > StartLimit)
                {
                    throw new InvalidOperationException($"haproxy did not listen on 127.0.0.1:{port} within {StartLimit.TotalSeconds:0} s.");
                }

                await Task.Delay(50);
            }
        }
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await probe.ConnectAsync(IPAddress.Loopback, port, limit.Token);
            return true;
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
