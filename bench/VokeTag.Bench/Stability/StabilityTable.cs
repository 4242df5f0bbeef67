using System.Globalization;
using System.Text;

namespace VokeTag.Bench.Stability;

/// <summary>
/// Turns run records into the README's stability tables: verdicts and flips per mode, variant and experiment; and,
/// for the reference API, each criterion's observed range against its threshold with the smallest margin.
/// </summary>
public static class StabilityTable
{
    /// <summary>A criterion whose smallest margin is under this share of its budget is a flip waiting to happen.</summary>
    public const double ThinMargin = 0.10;

    /// <summary>
    /// How much of a criterion's budget a measured value leaves unused, from 1 (all of it) to 0 (on the threshold);
    /// negative when it failed. Rates judged against a floor (success ≥ 99 %) use the room above it (the 1 % error
    /// budget); everything else the threshold itself. Null where a share makes no sense: a count or switch
    /// (<c>unit</c> "", e.g. no 500 at all, both replicas serving) — those either hold or not.
    /// </summary>
    public static double? Margin(CriterionRecord criterion)
    {
        if (criterion.Measured is not { } measured || criterion.Unit == "")
        {
            return null;
        }

        var atLeast = criterion.Comparison is "at-least" or "greater-than";
        var budget = atLeast && criterion.Unit == "%" ? 1 - criterion.Threshold : criterion.Threshold;
        if (budget <= 0)
        {
            return null;
        }

        return (atLeast ? measured - criterion.Threshold : criterion.Threshold - measured) / budget;
    }

    /// <summary>The runs of one sitting: its id, or <c>latest</c> for the last one recorded.</summary>
    /// <exception cref="BenchUsageException">No sitting has that id; the message lists those that exist.</exception>
    public static IReadOnlyList<RunRecord> OfSitting(IReadOnlyList<RunRecord> records, string sitting)
    {
        var wanted = sitting == "latest" && records.Count > 0 ? records[^1].Sitting : sitting;
        var runs = records.Where(record => record.Sitting == wanted).ToList();
        return runs.Count > 0
            ? runs
            : throw new BenchUsageException(
                $"--sitting: no runs of sitting '{sitting}'; recorded: {Join(records.Select(record => record.Sitting).Distinct().TakeLast(10))}.");
    }

    public static string Render(IReadOnlyList<RunRecord> records)
    {
        var text = new StringBuilder();
        if (records.Count == 0)
        {
            return "No runs recorded yet.\n";
        }

        text.AppendLine(CultureInfo.InvariantCulture,
            $"{records.Count} runs from {records.Select(record => record.Sitting).Distinct().Count()} sitting(s); machine: {string.Join("; ", records.Select(record => record.Machine).Distinct())}; phases (baseline/impact/recovery/sustain): {string.Join(", ", records.Select(record => record.Phases).Distinct())}.");
        text.AppendLine();
        text.AppendLine("| mode | API | experiment | runs | must | as expected | flips | criteria that failed (runs) | impact reads shed (min–max) |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|");
        foreach (var group in records.GroupBy(record => (record.Mode, record.Variant, record.Experiment))
            .OrderBy(group => group.Key.Mode).ThenBy(group => group.Key.Variant).ThenBy(group => Order(group.Key.Experiment)))
        {
            var runs = group.ToList();
            var asExpected = runs.Count(run => LabVariant.IsExpected(run.Variant, run.Status));
            var failedCriteria = runs.SelectMany(run => run.Criteria.Where(criterion => !criterion.Passed).Select(criterion => criterion.Name))
                .GroupBy(name => name).OrderByDescending(names => names.Count()).Select(names => $"{names.Key} ({names.Count()})");
            var otherStatuses = runs.Where(run => run.Status is not ("passed" or "failed" or "aborted")).GroupBy(run => run.Status)
                .Select(statuses => $"status {statuses.Key} ({statuses.Count()})");
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key.Mode} | {group.Key.Variant} | {group.Key.Experiment} | {runs.Count} | {LabVariant.Named(group.Key.Variant).ExpectedVerdict} | {asExpected}/{runs.Count} | **{runs.Count - asExpected}** | {Join(failedCriteria.Concat(otherStatuses))} | {runs.Min(run => run.ImpactShed)}–{runs.Max(run => run.ImpactShed)} |");
        }

        var reference = records.Where(record => record.Variant == LabVariant.Reference.Name).ToList();
        if (reference.Count > 0)
        {
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"Margins on the reference API: the share of each criterion's budget left unused in its worst run (under {ThinMargin * 100:0} %: a flip waiting to happen; n/a: a count or switch, which holds or not).");
            text.AppendLine();
            text.AppendLine("| mode | experiment | criterion | threshold | observed (min–max) | smallest margin | |");
            text.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var group in reference.SelectMany(run => run.Criteria.Select(criterion => (run.Mode, run.Experiment, Criterion: criterion)))
                .GroupBy(entry => (entry.Mode, entry.Experiment, entry.Criterion.Name))
                .OrderBy(group => group.Key.Mode).ThenBy(group => Order(group.Key.Experiment)))
            {
                var criteria = group.Select(entry => entry.Criterion).ToList();
                var first = criteria[0];
                var measured = criteria.Where(criterion => criterion.Measured is not null).Select(criterion => criterion.Measured!.Value).ToList();
                var margins = criteria.Select(Margin).ToList();
                var smallest = margins.Any(margin => margin is null) ? null : margins.Min();
                var unmeasured = criteria.Count - measured.Count;
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {group.Key.Mode} | {group.Key.Experiment} | `{group.Key.Name}` | {Symbol(first.Comparison)} {Format(first.Threshold, first.Unit)} | {(measured.Count > 0 ? $"{Format(measured.Min(), first.Unit)} – {Format(measured.Max(), first.Unit)}" : "—")}{(unmeasured > 0 ? $", not measured ×{unmeasured}" : "")} | {(smallest is { } value ? (value * 100).ToString("0", CultureInfo.InvariantCulture) + " %" : "n/a")} | {Flag(criteria, smallest)} |");
            }
        }

        return text.ToString();
    }

    private static string Flag(IReadOnlyList<CriterionRecord> criteria, double? smallest) =>
        criteria.Any(criterion => !criterion.Passed) ? "**failed**" : smallest < ThinMargin ? "**thin**" : "";

    private static int Order(string experiment) =>
        Array.IndexOf(StabilityOptions.BuiltInExperiments, experiment) is var index and >= 0 ? index : int.MaxValue;

    private static string Join(IEnumerable<string> items) => string.Join(", ", items) is { Length: > 0 } joined ? joined : "—";

    private static string Symbol(string comparison) => comparison switch
    {
        "less-than" => "<",
        "at-most" => "≤",
        "greater-than" => ">",
        _ => "≥",
    };

    private static string Format(double value, string unit) => unit switch
    {
        "%" => (value * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %",
        "s" => value.ToString("0.000", CultureInfo.InvariantCulture) + " s",
        "x" => value.ToString("0.0#", CultureInfo.InvariantCulture) + "x",
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };
}
