using CsCheck;
using static VokeTag.AppHost.Tests.Fuzz.HostileText;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>
/// Hostile requests for the two control surfaces: the chaos worker's API and the lab control API. Without the secret
/// every request must be 401. With it, every case is invalid by construction (an unknown experiment, resource,
/// command, lease or proxy; a malformed body), so the suite can never start a run or inject a fault: a 2xx is a failure.
/// </summary>
public static class ControlCases
{
    public const string SecretHeader = "X-Lab-Secret";

    private static readonly (string, byte[])[] Json = [("Content-Type", Ascii("application/json"))];

    /// <summary>A name no lab resource, proxy, lease or experiment has.</summary>
    private static readonly Gen<byte[]> UnknownName = Segment.Select(segment => (byte[])[.. Ascii("fuzz-"), .. segment]);

    private static readonly Gen<string> BadValue = Gen.OneOf(
        "null", "\"\"", "\"x\"", "-1", "0", "1e308", "-1e308", "true", "[]", "{}", "[5]", "\"\\u0000\"", "\"\\ud800\"", "99999999999");

    private static readonly Gen<byte[]> Malformed = Gen.Frequency(
        (2, Gen.OneOf("", "{", "[", "{\"experiments\":}", "{'a':1}", "nul", "\"unterminated").Select(Utf8)),
        (1, Gen.Byte.Array[1, 32]));

    /// <summary>Any method, path and body, sent with no secret or a wrong one.</summary>
    public static Gen<HostileRequest> WithoutSecret(string[] paths) => Gen.Select(
        Gen.OneOf("GET", "POST", "PUT", "DELETE", "PATCH"), Gen.OneOf(paths), Malformed, Gen.OneOf<string?>(null, "", "wrong", "00"),
        (method, path, body, secret) => new HostileRequest("no secret", HostileRequest.Http(method, Ascii(path),
            secret is null ? Json : [.. Json, (SecretHeader, Ascii(secret))], method is "GET" or "DELETE" ? null : body)));

    public static readonly string[] WorkerPaths = ["/runs", "/runs/stop", "/experiments", "/runs/x", "/", "/emergency-stop", "/fuzz"];

    public static readonly string[] LabControlPaths =
        ["/targets", "/connections", "/resources/cache", "/resources/cache/stop", "/resources/db/kill", "/leases", "/leases/x", "/proxies/cache-proxy/faults", "/emergency-stop", "/"];

    /// <summary>With the secret: POST /runs that names an unknown experiment or a field of the wrong type, and unknown runs.</summary>
    public static Gen<HostileRequest> Worker(string secret)
    {
        var withSecret = new[] { Json[0], (SecretHeader, Ascii(secret)) };
        var badRun = Gen.Select(
            Gen.OneOf("baselineSeconds", "impactSeconds", "recoverySeconds", "sustainSeconds", "ratePerSecond", "thresholds", "dryRun"),
            BadValue, AnyText,
            (field, value, name) => new HostileRequest("run request", HostileRequest.Http("POST", Ascii("/runs"), withSecret,
                Utf8($"{{\"experiments\":[{JsonString("fuzz-" + name)}],\"{field}\":{value}}}")), ["experiment", field]));
        var badExperiments = BadValue.Select(value => new HostileRequest("run request",
            HostileRequest.Http("POST", Ascii("/runs"), withSecret, Utf8($"{{\"experiments\":{value}}}")), ["experiment"]));
        var malformed = Malformed.Select(body => new HostileRequest("run body",
            HostileRequest.Http("POST", Ascii("/runs"), withSecret, body), ["body", "JSON", "experiment"]));
        var unknownRun = UnknownName.Select(name => new HostileRequest("unknown run",
            HostileRequest.Http("GET", [.. Ascii("/runs/"), .. name], withSecret, null)));
        var wrongMethod = Gen.OneOf("PUT", "DELETE", "PATCH").Select(method => new HostileRequest("method",
            HostileRequest.Http(method, Ascii("/runs"), withSecret, Utf8("{}"))));
        return Gen.Frequency((4, badRun), (2, badExperiments), (2, malformed), (1, unknownRun), (1, wrongMethod));
    }

    /// <summary>With the secret: unknown resources, commands, leases and proxies; lease and fault bodies that cannot be valid.</summary>
    public static Gen<HostileRequest> LabControl(string secret)
    {
        var withSecret = new[] { Json[0], (SecretHeader, Ascii(secret)) };
        HostileRequest Case(string kind, string method, byte[] target, byte[]? body = null, string[]? fields = null) =>
            new(kind, HostileRequest.Http(method, target, withSecret, body), fields);

        var unknownResource = Gen.Select(UnknownName, Gen.OneOf("", "/stop", "/start", "/restart", "/kill"),
            (name, command) => Case("unknown resource", command == "" ? "GET" : "POST", [.. Ascii("/resources/"), .. name, .. Ascii(command)]));
        var unknownCommand = UnknownName.Select(command =>
            Case("unknown command", "POST", [.. Ascii("/resources/cache/"), .. command], fields: ["command"]));
        var badLease = Gen.Select(AnyText, Gen.OneOf("-1", "0", "0.5", "31", "1e9", "\"five\"", "null", "[]"),
            (owner, ttl) => Case("lease request", "POST", Ascii("/leases"), Utf8($"{{\"owner\":{JsonString(owner)},\"ttlSeconds\":{ttl}}}"),
                ["owner", "ttlSeconds"]));
        var malformedLease = Malformed.Select(body => Case("lease body", "POST", Ascii("/leases"), body, ["body", "JSON", "owner"]));
        var unknownLease = Gen.Select(Gen.OneOf("PUT", "DELETE"), UnknownName, (method, id) => Case("unknown lease", method, [.. Ascii("/leases/"), .. id]));
        var unknownProxy = UnknownName.Select(name => Case("unknown proxy", "PUT", [.. Ascii("/proxies/"), .. name, .. Ascii("/faults")], Utf8("[]")));
        var faultWithoutLease = Malformed.Select(body => Case("fault body", "PUT", Ascii("/proxies/cache-proxy/faults"), body, ["body", "JSON"]));
        var wrongMethod = Gen.OneOf("/targets", "/leases", "/proxies").Select(path => Case("method", "PATCH", Ascii(path), Utf8("{}")));
        return Gen.Frequency((2, unknownResource), (2, unknownCommand), (2, badLease), (1, malformedLease), (1, unknownLease),
            (1, unknownProxy), (1, faultWithoutLease), (1, wrongMethod));
    }
}
