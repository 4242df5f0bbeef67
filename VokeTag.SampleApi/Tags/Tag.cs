namespace VokeTag.SampleApi.Tags;

/// <summary>A product tag as the verification endpoint returns it; <see cref="Verified"/> is the answer that matters.</summary>
public sealed record Tag(string Id, string Product, string Batch, string Status, DateTimeOffset IssuedAt)
{
    public bool Verified => Status == "active";
}

/// <summary>Which path answered a verification: the header <c>X-Served-From</c> carries it.</summary>
public enum ServedFrom
{
    /// <summary>Redis had it.</summary>
    Cache,

    /// <summary>A cache miss: read from PostgreSQL and put in the cache.</summary>
    Database,

    /// <summary>Redis failed or its circuit is open: read from PostgreSQL, cache left alone.</summary>
    Fallback,
}
