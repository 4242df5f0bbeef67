using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VokeTag.AppHost.Redis;

/// <summary>AUTH then PING over a plain socket: healthy only when the server answers +PONG. No client library needed.</summary>
public sealed class RedisPingHealthCheck(Func<CancellationToken, Task<(string Host, int Port, string Password)>> target) : IHealthCheck
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Budget);
        try
        {
            var (host, port, password) = await target(timeout.Token);
            using var client = new TcpClient();
            await client.ConnectAsync(host, port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(Command("AUTH", password) + Command("PING")), timeout.Token);

            var buffer = new byte[256];
            var received = new StringBuilder();
            while (!received.ToString().Contains("+PONG", StringComparison.Ordinal))
            {
                var count = await stream.ReadAsync(buffer, timeout.Token);
                if (count == 0 || received.ToString().StartsWith('-'))
                {
                    return HealthCheckResult.Unhealthy($"Redis answered '{received.ToString().Trim()}' instead of PONG.");
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, count));
            }

            return HealthCheckResult.Healthy();
        }
        catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"Redis does not answer: {exception.Message}");
        }
    }

    /// <summary>A RESP array of bulk strings, so that passwords with any characters survive.</summary>
    private static string Command(params string[] parts) =>
        $"*{parts.Length}\r\n" + string.Concat(parts.Select(part => $"${Encoding.UTF8.GetByteCount(part)}\r\n{part}\r\n"));
}
