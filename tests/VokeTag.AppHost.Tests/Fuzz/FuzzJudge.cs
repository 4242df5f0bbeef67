using System.Collections.Concurrent;
using System.Text.Json;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>
/// The rules every hostile request is held to, and the tally of what came back. Answered (no hang, no reset), never
/// 5xx in a steady lab (a history read shed with 503 + Retry-After is counted apart), every 4xx a problem details
/// document — except the rejections Kestrel writes before any middleware runs, which are listed as such.
/// </summary>
public sealed class FuzzJudge
{
    /// <summary>
    /// What Kestrel itself answers, before any middleware, to a request it cannot parse: an empty body and no header of
    /// ours. 400 malformed, 405 asterisk-form target with a method other than OPTIONS, 413 a declared body over the
    /// limit, 414 target too long, 431 headers too large.
    /// </summary>
    public static readonly int[] KestrelStatuses = [400, 405, 413, 414, 431];

    private readonly ConcurrentQueue<string> _failures = new();
    private readonly ConcurrentDictionary<string, int> _statuses = new();
    private readonly ConcurrentDictionary<string, int> _kinds = new();
    private int _kestrel;
    private int _shed;

    public IReadOnlyCollection<string> Failures => _failures;

    public int Cases => _kinds.Values.Sum();

    public int KestrelRejections => _kestrel;

    public int Shed => _shed;

    public int ServerErrors => _statuses.Where(pair => pair.Key.StartsWith('5')).Sum(pair => pair.Value);

    public void Fail(string surface, HostileRequest request, string why) =>
        _failures.Enqueue($"{surface} [{request.Kind}] {why}\n    replay: {request.Replay}");

    /// <summary>Judges one answer; false when it broke a rule (recorded in <see cref="Failures"/>).</summary>
    /// <param name="expect">An extra rule of the surface, e.g. "401 without the secret"; returns what is wrong, or null.</param>
    public bool Judge(string surface, HostileRequest request, RawResponse response, Func<RawResponse, string?>? expect = null)
    {
        _kinds.AddOrUpdate($"{surface}: {request.Kind}", 1, (_, count) => count + 1);
        _statuses.AddOrUpdate(response.Status.ToString(), 1, (_, count) => count + 1);
        if (IsKestrelRejection(response))
        {
            Interlocked.Increment(ref _kestrel);
            return true;
        }

        var problem = response.Status switch
        {
            503 when IsShed(response) => Count(ref _shed),
            >= 500 => $"{response.Status} {Title(response)} {Detail(response)}",
            >= 400 when request.Method != "HEAD" && response.MediaType != "application/problem+json" =>
                $"{response.Status} as '{response.MediaType ?? "no content type"}', not application/problem+json: {Shorten(response.Body)}",
            400 when request.Fields is { } fields && !fields.Any(field => Detail(response).Contains(field, StringComparison.OrdinalIgnoreCase)) =>
                $"400 names none of {string.Join(", ", fields)}: {Detail(response)}",
            _ => expect?.Invoke(response),
        };
        if (problem is not null)
        {
            Fail(surface, request, problem);
        }

        return problem is null;
    }

    public string Summary() =>
        $"statuses: {string.Join(", ", _statuses.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key}×{pair.Value}"))}\n" +
        $"cases: {string.Join(", ", _kinds.OrderBy(pair => pair.Key).Select(pair => $"{pair.Key} {pair.Value}"))}";

    public static bool IsKestrelRejection(RawResponse response) =>
        KestrelStatuses.Contains(response.Status) && response.Body.Length == 0 && response.Header("X-Replica") is null;

    public static bool IsShed(RawResponse response) =>
        response.Header("Retry-After") is not null && Title(response) == "Shed";

    public static string? Title(RawResponse response) => Property(response, "title");

    public static string Detail(RawResponse response) => Property(response, "detail") ?? "";

    private static string? Property(RawResponse response, string name)
    {
        try
        {
            using var json = JsonDocument.Parse(response.Body);
            return json.RootElement.ValueKind == JsonValueKind.Object && json.RootElement.TryGetProperty(name, out var value)
                ? value.ToString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Count(ref int counter)
    {
        Interlocked.Increment(ref counter);
        return null;
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
