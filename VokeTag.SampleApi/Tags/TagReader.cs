using Microsoft.Extensions.Options;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Telemetry;

namespace VokeTag.SampleApi.Tags;

/// <summary>
/// Verification's critical path, cache-aside: Redis first, then PostgreSQL, then fill the cache. When Redis is down
/// the answer still comes, from the database, marked <see cref="ServedFrom.Fallback"/>.
/// </summary>
public sealed class TagReader(TagCache cache, TagStore store, ApiMetrics metrics, IOptions<ResilienceSettings> settings)
{
    /// <returns>The tag and where it came from, or null when no such tag exists.</returns>
    public async Task<(Tag Tag, ServedFrom Source)?> FindAsync(TagId id, CancellationToken cancellationToken)
    {
        var cached = await cache.ReadAsync(id, cancellationToken);
        if (cached.Tag is { } hit)
        {
            metrics.Served(ServedFrom.Cache);
            return (hit, ServedFrom.Cache);
        }

        if (!cached.Available && !settings.Value.RedisFallback)
        {
            throw new DependencyUnavailableException(Dependency.Redis, "cache unavailable and the fallback is switched off", TimeSpan.FromSeconds(1), null);
        }

        var tag = await store.FindAsync(id, cancellationToken);
        if (tag is null)
        {
            return null;
        }

        var source = cached.Available ? ServedFrom.Database : ServedFrom.Fallback;
        if (source == ServedFrom.Database)
        {
            await cache.WriteAsync(tag, cancellationToken);
        }

        metrics.Served(source);
        return (tag, source);
    }
}
