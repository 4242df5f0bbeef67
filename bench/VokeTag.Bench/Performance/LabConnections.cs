using System.Net;
using System.Text.Json;

namespace VokeTag.Bench.Performance;

/// <summary>Where the lab's servers and fault proxies listen, from the lab control's <c>GET /connections</c>.</summary>
public sealed record LabConnections(RedisAddress Cache, RedisAddress CacheProxy, PostgresAddress Db, PostgresAddress DbProxy, Uri Api)
{
    public static LabConnections From(JsonElement connections)
    {
        var strings = connections.GetProperty("connectionStrings");
        string Of(string name) => strings.TryGetProperty(name, out var value) && value.GetString() is { } text
            ? text
            : throw new InvalidOperationException($"the lab has no connection string for {name}.");

        var api = connections.GetProperty("endpoints").GetProperty("api").GetProperty("http").GetString()
            ?? throw new InvalidOperationException("the lab's api has no http endpoint.");
        return new LabConnections(
            RedisAddress.Parse(Of("cache")), RedisAddress.Parse(Of("cache-proxy")),
            PostgresAddress.Parse(Of("voketag")), PostgresAddress.Parse(Of("db-proxy")), new Uri(api));
    }
}

/// <summary>StackExchange.Redis form: <c>host:port,password=…</c>.</summary>
public sealed record RedisAddress(string Host, int Port, string Password)
{
    public static RedisAddress Parse(string connectionString)
    {
        var parts = connectionString.Split(',');
        var endpoint = parts[0];
        var colon = endpoint.LastIndexOf(':');
        var password = parts.Skip(1).Select(part => part.Split('=', 2)).FirstOrDefault(pair => pair[0].Trim() == "password")?[1] ?? "";
        return new RedisAddress(Loopback(endpoint[..colon]), int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), password);
    }

    internal static string Loopback(string host) => host is "localhost" ? IPAddress.Loopback.ToString() : host;
}

/// <summary>Npgsql form: <c>Host=…;Port=…;Username=…;Password=…;Database=…</c>.</summary>
public sealed record PostgresAddress(string Host, int Port, string Username, string Password, string Database)
{
    public static PostgresAddress Parse(string connectionString)
    {
        var pairs = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0].Trim(), pair => pair[1].Trim(), StringComparer.OrdinalIgnoreCase);
        string Value(params string[] keys) => keys.Select(key => pairs.GetValueOrDefault(key)).FirstOrDefault(value => value is not null) ?? "";
        return new PostgresAddress(
            RedisAddress.Loopback(Value("Host", "Server")),
            int.Parse(Value("Port") is { Length: > 0 } port ? port : "5432", System.Globalization.CultureInfo.InvariantCulture),
            Value("Username", "User ID", "User"), Value("Password"), Value("Database"));
    }
}
