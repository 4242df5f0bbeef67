using System.Globalization;
using System.Text.Json;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// Turns successive answers of the worker's <c>GET /gamedays/{id}</c> into the lines a headless game day prints: each
/// timeline entry once, each round's phase as it changes, each round's score once it has one, and the totals at the end.
/// It shows only what the worker shows, so a hidden round's scenario first appears in the worker's reveal entry.
/// </summary>
public sealed class GameDayProgress
{
    private readonly HashSet<string> _printedEntries = [];
    private readonly Dictionary<int, string> _roundStatus = [];
    private readonly HashSet<int> _scoredRounds = [];

    /// <summary>What is new in <paramref name="view"/> since the last call, in the order to print it.</summary>
    public IReadOnlyList<string> Update(JsonElement view)
    {
        var lines = new List<string>();
        var hidden = view.GetProperty("hidden").GetBoolean();
        var rounds = view.GetProperty("rounds").EnumerateArray().ToList();
        var roundNumbers = rounds.ToDictionary(round => round.GetProperty("roundId").GetString()!, round => round.GetProperty("number").GetInt32());

        // The timeline first: the reveal entry comes before any line that may name a revealed scenario.
        foreach (var entry in view.GetProperty("timeline").EnumerateArray())
        {
            // Rollbacks are inserted at their own (earlier) moment when a round ends, so entries are known by content, not position.
            var key = string.Join('|', Text(entry, "at"), Text(entry, "kind"), Text(entry, "roundId"), Text(entry, "by"), Text(entry, "text"));
            if (_printedEntries.Add(key))
            {
                lines.Add(Entry(entry, roundNumbers, hidden));
            }
        }

        foreach (var round in rounds)
        {
            var number = round.GetProperty("number").GetInt32();
            var status = round.GetProperty("status").GetString()!;
            if (_roundStatus.GetValueOrDefault(number) != status)
            {
                _roundStatus[number] = status;
                lines.Add(Phase(number, status));
            }

            if (round.GetProperty("score") is { ValueKind: JsonValueKind.Object } score && _scoredRounds.Add(number))
            {
                lines.Add(Score(number, Text(round, "scenario"), score));
            }
        }

        return lines;
    }

    /// <summary>The end: the totals, the points per team and the rule they follow.</summary>
    public static IReadOnlyList<string> Totals(JsonElement view)
    {
        var totals = view.GetProperty("totals");
        int Count(string name) => totals.GetProperty(name).GetInt32();
        var teams = totals.GetProperty("pointsByTeam").EnumerateObject().Select(team => $"{team.Name} {team.Value.GetInt32()}").ToList();
        return
        [
            $"game day {view.GetProperty("id").GetString()} {view.GetProperty("status").GetString()}: {Count("points")} points over {Count("roundsEnded")} round(s); " +
            $"detected {Count("detected")}, diagnosed {Count("diagnosed")}, mitigated {Count("mitigated")}; " +
            $"wrong diagnoses {Count("wrongDiagnoses")}, wrong mitigations {Count("wrongMitigations")}, false alarms {Count("falseAlarms")}; " +
            $"errors users saw {Count("errorsSeen")}.",
            teams.Count == 0 ? "points by team: nobody played (no declaration, diagnosis or mitigation)." : $"points by team: {string.Join(", ", teams)}.",
            totals.GetProperty("pointsRule").GetString()!,
        ];
    }

    private static string Entry(JsonElement entry, IReadOnlyDictionary<string, int> roundNumbers, bool hidden)
    {
        var seconds = entry.GetProperty("seconds").GetDouble().ToString("0.0", CultureInfo.InvariantCulture);
        var round = Text(entry, "roundId") is { } roundId && roundNumbers.TryGetValue(roundId, out var number) ? $"round {number} · " : "";
        var kind = Text(entry, "kind");
        var text = Text(entry, "text");
        var what = Text(entry, "by") is { } by ? $"{kind} by {by}: {text}" : text;
        var check = Text(entry, "check") is { } judged ? $" → {judged}" : "";
        // A shown game day's secrets (the fault itself) are fair to print; a hidden one's wait for the reveal line.
        var secret = !hidden && Text(entry, "secret") is { } fault ? $" ({fault})" : "";
        return $"+{seconds} s  {round}{what}{secret}{check}";
    }

    private static string Phase(int number, string status) => status switch
    {
        "settling" => $"round {number} is settling: traffic on, the lab settles.",
        "baseline" => $"round {number} is measuring its baseline: all should be well.",
        "live" => $"round {number} is live: a fault is in. Declare, diagnose and mitigate.",
        "recovering" => $"round {number} is recovering: the fault is out; the worker watches the service become steady again.",
        "ended" => $"round {number} ended.",
        _ => $"round {number}: {status}.",
    };

    private static string Score(int number, string? scenario, JsonElement score)
    {
        string Seconds(string name) => score.GetProperty(name) is { ValueKind: JsonValueKind.Number } value
            ? $"after {value.GetDouble().ToString("0", CultureInfo.InvariantCulture)} s"
            : "no";
        var mitigation = score.GetProperty("mitigation") is { ValueKind: JsonValueKind.Object } mitigated
            ? $"{mitigated.GetProperty("action").GetString()} ({(mitigated.GetProperty("correct").GetBoolean() ? "correct" : "wrong")})"
            : "none";
        var findings = score.GetProperty("findings").EnumerateArray().Select(finding => finding.GetString()).ToList();
        return $"round {number}{(scenario is null ? "" : $" ({scenario})")} scored {score.GetProperty("points").GetInt32()} points: " +
            $"detected {Seconds("detectSeconds")}, diagnosed {Seconds("diagnoseSeconds")}, mitigation {mitigation}, " +
            $"errors users saw {score.GetProperty("errorsSeen").GetInt32()}" +
            (findings.Count == 0 ? "." : $"; {string.Join("; ", findings)}.");
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;
}
