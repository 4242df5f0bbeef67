using System.Text.Json;

namespace VokeTag.Bench.Stability;

/// <summary>One criterion of one run, as the worker's run.json judged it.</summary>
/// <param name="Measured">Null when the figure could not be measured (the criterion failed).</param>
/// <param name="Comparison">less-than, at-most, greater-than or at-least.</param>
/// <param name="Unit">"%", "s", "x" or "" (a count).</param>
public sealed record CriterionRecord(string Name, double? Measured, string Comparison, double Threshold, string Unit, bool Passed);

/// <summary>
/// One line of the results file: one experiment run in one sitting, with where and how it ran. Sittings append, so
/// the table can rest on runs from several of them.
/// </summary>
public sealed record RunRecord(
    string Sitting,
    string Machine,
    string Mode,
    string Variant,
    string Phases,
    string Experiment,
    string RunId,
    string Status,
    int ImpactShed,
    IReadOnlyList<CriterionRecord> Criteria)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads the worker's run.json (<c>runs/&lt;run id&gt;/run.json</c>).</summary>
    public static RunRecord FromRunJson(JsonElement run, string sitting, string machine, string mode, string variant, string phases) => new(
        sitting, machine, mode, variant, phases,
        run.GetProperty("experiment").GetString()!,
        run.GetProperty("runId").GetString()!,
        run.GetProperty("status").GetString()!,
        run.TryGetProperty("phases", out var runPhases) && runPhases.ValueKind == JsonValueKind.Array
            ? runPhases.EnumerateArray().Where(phase => phase.GetProperty("name").GetString() == "impact")
                .Select(phase => phase.TryGetProperty("shed", out var shed) ? shed.GetInt32() : 0).FirstOrDefault()
            : 0,
        run.TryGetProperty("criteria", out var criteria) && criteria.ValueKind == JsonValueKind.Array
            ? [.. criteria.EnumerateArray().Select(criterion => new CriterionRecord(
                criterion.GetProperty("name").GetString()!,
                criterion.GetProperty("measured") is { ValueKind: JsonValueKind.Number } measured ? measured.GetDouble() : null,
                criterion.GetProperty("comparison").GetString()!,
                criterion.GetProperty("threshold").GetDouble(),
                criterion.GetProperty("unit").GetString()!,
                criterion.GetProperty("passed").GetBoolean()))]
            : []);

    public static IReadOnlyList<RunRecord> ReadAll(string resultsFile) =>
        File.Exists(resultsFile)
            ? [.. File.ReadLines(resultsFile).Where(line => line.Length > 0).Select(line => JsonSerializer.Deserialize<RunRecord>(line, Json)!)]
            : [];
}
