using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// What one Chaos Toolkit run may do beyond the file: configuration values given on the command line (as
/// <c>chaos run --var</c>), hosts its http providers may call besides the lab's API, and whether its process providers
/// may run commands at all.
/// </summary>
/// <param name="Variables">Replace the file's declared configuration values of the same names (others are ignored, as chaos run does).</param>
/// <param name="AllowHosts"><c>host:port</c> (or <c>host</c> for any port) its http providers may call besides the lab's API.</param>
/// <param name="ProcessAllowed">True only for a command-line run started with <c>Chaos:AllowProcess=true</c>.</param>
public sealed record ToolkitRunSettings(IReadOnlyDictionary<string, JsonNode?> Variables, IReadOnlyList<string> AllowHosts, bool ProcessAllowed)
{
    public static readonly ToolkitRunSettings None = new(new Dictionary<string, JsonNode?>(), [], ProcessAllowed: false);

    /// <summary>Whether an http provider may call <paramref name="url"/>: the lab's API, or a host the run allows.</summary>
    public bool MayCall(Uri url, Uri api) =>
        SameEndpoint(url, api)
        || AllowHosts.Any(allowed => allowed.Contains(':')
            ? string.Equals(allowed, $"{url.Host}:{url.Port}", StringComparison.OrdinalIgnoreCase)
            : string.Equals(allowed, url.Host, StringComparison.OrdinalIgnoreCase));

    private static bool SameEndpoint(Uri url, Uri api) =>
        url.Port == api.Port && (string.Equals(url.Host, api.Host, StringComparison.OrdinalIgnoreCase) || (url.IsLoopback && api.IsLoopback));
}
