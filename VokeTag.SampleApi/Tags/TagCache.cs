using System.Text.Json;
using StackExchange.Redis;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Telemetry;

namespace VokeTag.SampleApi.Tags;

/// <summary>The Redis side of cache-aside. It never throws for Redis trouble: it reports <see cref="CacheRead.Unavailable"/>.</summary>
public sealed class TagCache(
    IConnectionMultiplexer redis,
    [FromKeyedServices(Dependency.Redis)] DependencyGuard guard,
    ApiMetrics metrics,
    ILogger<TagCache> logger)
{
    private static readonly TimeSpan EntryLifetime = TimeSpan.FromMinutes(5);

    public async Task<CacheRead> ReadAsync(TagId id, CancellationToken cancellationToken)
    {
        try
        {
            var value = await guard.ExecuteAsync(
                async _ => await redis.GetDatabase().StringGetAsync(Key(id)), cancellationToken);
            return value.IsNull ? CacheRead.Miss : Parse(id, value.ToString());
        }
        catch (DependencyUnavailableException exception)
        {
            metrics.DependencyFailed(Dependency.Redis, exception.Reason);
            logger.LogDebug("Redis read of {TagId} failed ({Reason}); falling back to the database", id, exception.Reason);
            return CacheRead.Unavailable;
        }
        catch (DependencyRejectedException exception)
        {
            // E.g. WRONGTYPE: something else sits under the key. Not an outage; the database answers this read.
            logger.LogWarning("Redis refused the read of {TagId} ({Reason}); falling back to the database", id, exception.ServerMessage);
            return CacheRead.Unavailable;
        }
    }

    /// <summary>An entry that is not a tag (written by hand, an older format) is a miss: the fill overwrites it.</summary>
    private CacheRead Parse(TagId id, string json)
    {
        try
        {
            return JsonSerializer.Deserialize<Tag>(json, JsonSerializerOptions.Web) is { Id: not null } tag ? CacheRead.Hit(tag) : CacheRead.Miss;
        }
        catch (JsonException)
        {
            logger.LogWarning("The cache entry of {TagId} is not a tag; reading the database and replacing it", id);
            return CacheRead.Miss;
        }
    }

    /// <summary>Fills the cache after a miss. A failure here costs nothing but a later miss.</summary>
    public async Task WriteAsync(Tag tag, CancellationToken cancellationToken)
    {
        try
        {
            var json = JsonSerializer.Serialize(tag, JsonSerializerOptions.Web);
            await guard.ExecuteAsync(
                async _ => await redis.GetDatabase().StringSetAsync(KeyFor(tag.Id), json, EntryLifetime), cancellationToken);
        }
        catch (DependencyUnavailableException exception)
        {
            metrics.DependencyFailed(Dependency.Redis, exception.Reason);
            logger.LogDebug("Redis write of {TagId} failed ({Reason})", tag.Id, exception.Reason);
        }
        catch (DependencyRejectedException exception)
        {
            logger.LogWarning("Redis refused the write of {TagId} ({Reason})", tag.Id, exception.ServerMessage);
        }
    }

    private static RedisKey Key(TagId id) => KeyFor(id.Value);

    private static RedisKey KeyFor(string id) => $"tag:{id}";
}

/// <summary>What a cache read found: the tag, nothing, or no answer from Redis at all.</summary>
public sealed record CacheRead(Tag? Tag, bool Available)
{
    public static readonly CacheRead Miss = new(null, true);
    public static readonly CacheRead Unavailable = new(null, false);

    public static CacheRead Hit(Tag tag) => new(tag, true);
}
