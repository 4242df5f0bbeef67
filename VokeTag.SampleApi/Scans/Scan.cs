namespace VokeTag.SampleApi.Scans;

/// <summary>One recorded scan of a tag.</summary>
public sealed record Scan(long ScanId, string TagId, string? Location, DateTimeOffset ScannedAt);

/// <summary>The optional body of <c>POST /tags/{id}/scans</c>.</summary>
public sealed record ScanRequest(string? Location);

/// <summary>What recording a scan did: stored it now, found it stored under the same key, or found no such tag.</summary>
public enum ScanOutcome
{
    Created,
    Replayed,
    KeyReusedForAnotherTag,
    TagNotFound,
}

/// <summary>A page of a tag's scan history: the total and the most recent ones.</summary>
public sealed record ScanHistory(string TagId, long Total, IReadOnlyList<Scan> Latest);
