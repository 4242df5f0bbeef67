using System.Net;
using System.Text.RegularExpressions;

namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// Where a connection string says its server is, and the same connection string pointed elsewhere: the two
/// operations the fault proxy needs to sit between the API and Redis or PostgreSQL, in either runtime mode.
/// </summary>
public abstract partial class ConnectionStringShape
{
    /// <summary>StackExchange.Redis: <c>host:port,password=…</c>.</summary>
    public static readonly ConnectionStringShape Redis = new RedisShape();

    /// <summary>Npgsql: <c>Host=…;Port=…;Username=…</c>.</summary>
    public static readonly ConnectionStringShape Postgres = new PostgresShape();

    public abstract DnsEndPoint ServerOf(string connectionString);

    public abstract string PointAt(string connectionString, DnsEndPoint server);

    private sealed class RedisShape : ConnectionStringShape
    {
        public override DnsEndPoint ServerOf(string connectionString)
        {
            var address = connectionString.Split(',')[0];
            var colon = address.LastIndexOf(':');
            return new DnsEndPoint(address[..colon], int.Parse(address[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        public override string PointAt(string connectionString, DnsEndPoint server)
        {
            var comma = connectionString.IndexOf(',');
            return $"{server.Host}:{server.Port}{(comma < 0 ? "" : connectionString[comma..])}";
        }
    }

    private sealed partial class PostgresShape : ConnectionStringShape
    {
        public override DnsEndPoint ServerOf(string connectionString) => new(
            HostPattern().Match(connectionString).Groups["value"].Value,
            int.Parse(PortPattern().Match(connectionString) is { Success: true } port ? port.Groups["value"].Value : "5432", System.Globalization.CultureInfo.InvariantCulture));

        public override string PointAt(string connectionString, DnsEndPoint server)
        {
            var pointed = HostPattern().Replace(connectionString, $"Host={server.Host}");
            return PortPattern().IsMatch(pointed)
                ? PortPattern().Replace(pointed, $"Port={server.Port}")
                : $"{pointed};Port={server.Port}";
        }

        [GeneratedRegex(@"(?i)(?<=^|;)\s*(Host|Server)\s*=\s*(?<value>[^;]*)")]
        private static partial Regex HostPattern();

        [GeneratedRegex(@"(?i)(?<=^|;)\s*Port\s*=\s*(?<value>[^;]*)")]
        private static partial Regex PortPattern();
    }
}
