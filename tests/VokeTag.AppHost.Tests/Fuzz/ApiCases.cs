using CsCheck;
using static VokeTag.AppHost.Tests.Fuzz.HostileText;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>
/// Hostile requests for every endpoint of the reference API: ids, bodies, JSON shapes and types, Unicode edge cases,
/// huge and empty values, header abuse, wrong methods and content types, protocol abuse, concurrent same-key writes.
/// Scans go to <see cref="FirstTag"/> and up, tags no other test writes.
/// </summary>
public static class ApiCases
{
    public const int FirstTag = 9_000;
    private const string IdempotencyKey = "Idempotency-Key";
    private static readonly (string, byte[])[] Json = [("Content-Type", Ascii("application/json"))];

    private static readonly Gen<string> ValidTag = Gen.Int[FirstTag, FirstTag + 999].Select(n => $"VT-{n:D6}");

    /// <summary>A fresh key each time: a key reused across tags is a 409 by design, not what a burst tests.</summary>
    private static readonly Gen<string> Key = Gen.Const(() => $"fuzz-{Guid.NewGuid():N}");

    private static readonly Gen<HostileRequest> Verify =
        Segment.Select(id => new HostileRequest("tag id (verify)", HostileRequest.Http("GET", [.. Ascii("/tags/"), .. id], [], null), ["tag id"]));

    private static readonly Gen<HostileRequest> History =
        Segment.Select(id => new HostileRequest("tag id (history)", HostileRequest.Http("GET", [.. Ascii("/tags/"), .. id, .. Ascii("/scans")], [], null), ["tag id"]));

    private static readonly Gen<HostileRequest> RecordWithHostileId = Segment.Select(id => new HostileRequest("tag id (scan)",
        HostileRequest.Http("POST", [.. Ascii("/tags/"), .. id, .. Ascii("/scans")], Json, Utf8("{\"location\":\"dock 1\"}")), ["tag id"]));

    /// <summary>Bodies for POST /tags/{id}/scans: text the API must refuse or store faithfully, and shapes it must refuse.</summary>
    private static readonly Gen<(string Kind, byte[] Body)> ScanBody = Gen.Frequency(
        (5, AnyText.Select(text => ("location text", Utf8($"{{\"location\":{JsonString(text)}}}")))),
        (1, Gen.Byte.Array[1, 8].Select(bytes => ("location raw bytes", (byte[])[.. Ascii("{\"location\":\""), .. bytes, .. Ascii("\"}")]))),
        (2, Gen.OneOf("5", "true", "{}", "[]", "[\"a\"]", "1e999", "-0", "null", "{\"$ref\":\"x\"}")
            .Select(value => ("location type", Utf8($"{{\"location\":{value}}}")))),
        (2, Gen.OneOf("", " ", "[]", "\"dock\"", "1", "null", "true", "{", "}", "{\"location\":}", "{'location':'x'}", "{\"location\":\"a\",}",
                "{\"location\":\"a\"}{\"location\":\"b\"}", "{\"location\":\"a\",\"location\":\"\\u0000\"}", "{\"locaton\":\"typo\",\"extra\":[1,2]}")
            .Select(text => ("body shape", Utf8(text)))),
        (1, Gen.Byte.Array[1, 64].Select(bytes => ("body bytes", bytes))),
        (1, Gen.Int[65, 400].Select(depth => ("body depth", Utf8(string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth))))),
        (1, Gen.Int[4_100, 20_000].Select(length => ("body size", Utf8($"{{\"location\":\"{new string('x', length)}\"}}")))));

    private static readonly Gen<byte[]?> ContentType = Gen.Frequency(
        (6, Gen.Const<byte[]?>(() => Ascii("application/json"))),
        (1, Gen.OneOf("text/plain", "application/json; charset=utf-16", "application/x-www-form-urlencoded", "application/problem+json",
            "*/*", "application/json; charset=\"", "multipart/form-data; boundary=x", "").Select(type => (byte[]?)Ascii(type))),
        (1, Gen.Const<byte[]?>(() => null)),
        (1, Gen.Byte.Array[1, 8].Select(bytes => (byte[]?)bytes)));

    /// <summary>An Idempotency-Key header: absent, fresh, or hostile bytes (control, non-ASCII, too long, empty).</summary>
    private static readonly Gen<byte[]?> KeyHeader = Gen.Frequency(
        (3, Gen.Const<byte[]?>(() => null)),
        (3, Key.Select(key => (byte[]?)Ascii(key))),
        (3, AnyText.Select(text => (byte[]?)Wtf8(text))),
        (1, Gen.Byte.Array[0, 10].Select(bytes => (byte[]?)bytes)));

    private static readonly Gen<HostileRequest> RecordWithHostileBody = Gen.Select(ValidTag, ScanBody, ContentType, KeyHeader, (tag, body, type, key) =>
    {
        var headers = new List<(string, byte[])>();
        if (type is not null)
        {
            headers.Add(("Content-Type", type));
        }

        if (key is not null)
        {
            headers.Add((IdempotencyKey, key));
        }

        return new HostileRequest(body.Kind, HostileRequest.Http("POST", Ascii($"/tags/{tag}/scans"), headers, body.Body),
            ["location", "body", IdempotencyKey, "Content-Type", "JSON"]);
    });

    private static readonly Gen<HostileRequest> WrongMethod = Gen.Select(
        Gen.OneOf("PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT", "FOO", "get", "HEAD", "POST"),
        Gen.OneOf("/tags/VT-000001", "/tags/VT-000001/scans", "/diagnostics", "/health", "/alive", "/tags"),
        (method, path) => new HostileRequest("method", HostileRequest.Http(method, Ascii(path), Json, method is "GET" or "HEAD" ? null : Utf8("{}"))));

    private static readonly Gen<HostileRequest> UnknownPath = Gen.Frequency(
        (2, Segment.Array[1, 4].Select(segments => segments.SelectMany(segment => (byte[])[(byte)'/', .. segment]).ToArray())),
        (1, Gen.OneOf("/", "/tags", "/tags/", "/tags//scans", "/tags/VT-000001/scans/1", "/tags/VT-000001/", "//tags/VT-000001",
                "/tags/VT-000001?id=VT-000002&&&=%ZZ", "/tags/../diagnostics", "/TAGS/VT-000001", "/tags/VT-000001;x=1",
                "http://127.0.0.1/tags/VT-000001", "*", "/%00", "/tags/%56%54%2d%30%30%30%30%30%31")
            .Select(Ascii)))
        .Select(target => new HostileRequest("path", HostileRequest.Http("GET", target, [], null)));

    /// <summary>The chaos hooks without the lab's secret: 401 whatever the body, never a CPU burn or a failed call.</summary>
    private static readonly Gen<HostileRequest> ChaosHookWithoutSecret = Gen.Select(Gen.OneOf("PUT", "GET", "DELETE"), Gen.OneOf("/chaos/cpu", "/chaos/calls"), ScanBody,
        (method, hook, body) => new HostileRequest("chaos hook, no secret",
            HostileRequest.Http(method, Ascii(hook), [.. Json, ("X-Lab-Secret", Ascii("guess"))], method == "PUT" ? body.Body : null)));

    private static readonly Gen<HostileRequest> HeaderAbuse = Gen.Frequency(
        (1, Gen.Int[33_000, 70_000].Select(size => ("huge header", new[] { ("X-Fill", Ascii(new string('a', size))) }))),
        (1, Gen.Int[101, 300].Select(count => ("many headers", Enumerable.Range(0, count).Select(i => ($"X-H{i}", Ascii("v"))).ToArray()))),
        (2, Gen.Select(Key, Key, (first, second) => ("duplicate key", new[] { (IdempotencyKey, Ascii(first)), (IdempotencyKey, Ascii(second)) }))),
        (2, Gen.Byte.Array[1, 12].Select(bytes => ("header bytes", new[] { ("Accept", bytes), ("X-Replica", bytes) }))),
        (1, Gen.OneOf("gzip", "br, deflate", "identity;q=0", "x").Select(encoding => ("content encoding", new[] { ("Content-Encoding", Ascii(encoding)) }))))
        .SelectMany(abuse => ValidTag.Select(tag => new HostileRequest(abuse.Item1,
            HostileRequest.Http("POST", Ascii($"/tags/{tag}/scans"), [.. Json, .. abuse.Item2], Utf8("{\"location\":\"dock 2\"}")),
            [IdempotencyKey, "body"])));

    /// <summary>Requests that break HTTP itself: Kestrel answers these before any middleware runs.</summary>
    private static readonly Gen<HostileRequest> ProtocolAbuse = Gen.Frequency(
        (1, Gen.OneOf("GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /tags/VT-000001\r\n\r\n", "GET /tags/VT-000001 HTTP/1.1\r\n\r\n",
                "GET /tags/VT-000001 HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: other\r\nConnection: close\r\n\r\n",
                "GET /tags/VT-000001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nNo-Colon-Here\r\n\r\n",
                "GET /tags/VT-000001 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n Folded: header\r\n\r\n",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: -5\r\n\r\n{}",
                "POST /tags/VT-009001/scans HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 99999999999999999999\r\n\r\n{}")
            .Select(text => new HostileRequest("protocol", Ascii(text)))),
        (1, Gen.Int[8_000, 20_000].Select(length => new HostileRequest("long target",
            HostileRequest.Http("GET", Ascii("/tags/" + new string('9', length)), [], null)))),
        (1, Gen.Int[1, 10].Select(shortBy => new HostileRequest("content length shorter than body",
            HostileRequest.Http("POST", Ascii("/tags/VT-009002/scans"), Json, Utf8("{\"location\":\"dock 3\"}"), contentLength: 21 - shortBy)))));

    /// <summary>The same write with one key, eight times at once: one 201, the rest 200 with the same scan.</summary>
    private static readonly Gen<HostileRequest> SameKeyBurst = Gen.Select(ValidTag, Key, (tag, key) => new HostileRequest("same-key burst",
        HostileRequest.Http("POST", Ascii($"/tags/{tag}/scans"), [.. Json, (IdempotencyKey, Ascii(key))], Utf8("{\"location\":\"burst\"}")), Burst: 8));

    public static readonly Gen<HostileRequest> All = Gen.Frequency(
        (3, Verify),
        (3, History),
        (2, RecordWithHostileId),
        (8, RecordWithHostileBody),
        (2, WrongMethod),
        (2, UnknownPath),
        (1, ChaosHookWithoutSecret),
        (2, HeaderAbuse),
        (2, ProtocolAbuse),
        (1, SameKeyBurst));
}
