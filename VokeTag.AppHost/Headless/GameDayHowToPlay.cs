using VokeTag.AppHost.LabControl;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// What a headless game day prints once it started: where the dashboard is, the <c>chaos</c> resource's commands, and
/// the same moves through the worker's API with curl. It names the allowed words, never a hint at the scenario.
/// </summary>
public static class GameDayHowToPlay
{
    public const string SecretVariable = "VOKETAG_LAB_SECRET";

    /// <param name="dashboardUrl">The dashboard's address (<c>ASPNETCORE_URLS</c>), when known.</param>
    /// <param name="vocabulary">The worker's resources, kinds of fault and mitigations (<c>GET /gamedays/options</c>).</param>
    public static IReadOnlyList<string> Lines(string? dashboardUrl, string workerUrl, string secret, GameDayVocabulary vocabulary)
    {
        var worker = workerUrl.TrimEnd('/');
        string Curl(string action, string body) =>
            $"    curl -X POST {worker}/gamedays/current/{action} -H \"{LabControlEndpoints.SecretHeader}: ${SecretVariable}\" -H 'Content-Type: application/json' -d '{body}'";
        return
        [
            "how to play:",
            $"  dashboard: {dashboardUrl ?? "see above"} — open it with the 'Login to the dashboard at …' link Aspire printed above;",
            "  watch api, cache and db (console logs, traces, metrics), then use the chaos resource's commands (its ⋯ menu):",
            "  Declare incident (you see something wrong), Diagnose (resource + kind of fault), Mitigate (restart/start a resource, or wait), Note (observers).",
            $"  or through the worker's API ({worker}), from another terminal:",
            $"    export {SecretVariable}={secret}",
            Curl("declare", "{\"by\":\"blue\",\"text\":\"verify answers slowly\"}"),
            Curl("diagnose", "{\"by\":\"blue\",\"resource\":\"<resource>\",\"kind\":\"<kind>\"}"),
            Curl("mitigate", "{\"by\":\"blue\",\"action\":\"restart\",\"resource\":\"<resource>\"}") + "   (or \"action\":\"start\", or \"wait\" without a resource)",
            Curl("notes", "{\"by\":\"observer\",\"text\":\"what you noticed\"}"),
            $"    <resource>: {string.Join(", ", vocabulary.Resources)}; <kind>: {string.Join(", ", vocabulary.Kinds)}.",
            $"  state: curl {worker}/gamedays/current -H \"{LabControlEndpoints.SecretHeader}: ${SecretVariable}\"; Ctrl-C here stops the game day (faults rolled back).",
        ];
    }
}

/// <summary>The words a team may use, as the worker's <c>GET /gamedays/options</c> lists them.</summary>
public sealed record GameDayVocabulary(IReadOnlyList<string> Resources, IReadOnlyList<string> Kinds);
