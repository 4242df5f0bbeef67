using System.Globalization;

namespace VokeTag.ChaosWorker.Hypotheses;

/// <summary>
/// One checkable claim of a hypothesis, e.g. "error rate during impact &lt; 10 %". It measures one figure from a
/// finished run and compares it with its threshold; a figure that could not be measured fails the criterion.
/// </summary>
/// <param name="Name">Stable id, used as the JUnit test case name (e.g. <c>error-rate</c>).</param>
/// <param name="Statement">What it claims, in words (e.g. "System successfully falls back to database").</param>
/// <param name="Measure">Reads the figure from the run; null when it could not be measured.</param>
/// <param name="Unit">How to print the figure: "%", "s", "x" or "" (a count).</param>
public sealed record Criterion(
    string Name, string Statement, Func<RunFigures, double?> Measure, Comparison Comparison, double Threshold, string Unit)
{
    /// <summary>What to look at when it fails (the report's action items); empty: <see cref="ActionItems"/> by its name.</summary>
    public IReadOnlyList<string> Actions { get; init; } = [];

    /// <summary>Its own action items, or the defaults for a metric of its name.</summary>
    public IReadOnlyList<string> ActionsWhenFailed => Actions.Count > 0 ? Actions : ActionItems.For(Name);

    public CriterionResult Evaluate(RunFigures figures)
    {
        var measured = Measure(figures);
        var passed = measured is { } value && !double.IsNaN(value) && Comparison switch
        {
            Comparison.LessThan => value < Threshold,
            Comparison.AtMost => value <= Threshold,
            Comparison.GreaterThan => value > Threshold,
            _ => value >= Threshold,
        };
        return new CriterionResult(this, measured, passed);
    }

    /// <summary>The unit of a Chaos Toolkit probe's tolerance: met (1) or not (0).</summary>
    public const string ToleranceUnit = "tolerance";

    public string Expectation => Unit == ToleranceUnit ? "within tolerance" : $"{Symbol} {Format(Threshold, Unit)}";

    private string Symbol => Comparison switch
    {
        Comparison.LessThan => "<",
        Comparison.AtMost => "<=",
        Comparison.GreaterThan => ">",
        _ => ">=",
    };

    public static string Format(double? value, string unit) => value switch
    {
        null => "not measured",
        { } v when unit == ToleranceUnit => v >= 1 ? "met" : "not met",
        { } v when unit == "%" => (v * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
        { } v when unit == "s" => v.ToString("0.000", CultureInfo.InvariantCulture) + "s",
        { } v when unit == "x" => v.ToString("0.0#", CultureInfo.InvariantCulture) + "x",
        { } v => v.ToString("0.##", CultureInfo.InvariantCulture),
    };
}

/// <summary>A criterion judged against one run.</summary>
public sealed record CriterionResult(Criterion Criterion, double? Measured, bool Passed)
{
    /// <summary>e.g. <c>PASS: System successfully falls back to database (fallback share 95% &gt;= 80%)</c>.</summary>
    public override string ToString() =>
        $"{(Passed ? "PASS" : "FAIL")}: {Criterion.Statement} ({Criterion.Name} {Criterion.Format(Measured, Criterion.Unit)}, expected {Criterion.Expectation})";
}
