using VokeTag.ChaosWorker.Ledger;

namespace VokeTag.ChaosWorker.Hypotheses;

/// <summary>
/// Criteria several experiments share, each with its design-document default; <paramref name="threshold"/>
/// callbacks let a run override the default by criterion name.
/// </summary>
public static class CommonCriteria
{
    public const string Status500 = "status-500";
    public const string RecoveryTime = "recovery-time";
    public const string FailFastP99 = "fail-fast-p99";
    public const string ErrorsAre503 = "errors-are-503";

    /// <summary>The write ledger, part of every hypothesis: no acknowledged scan lost, none stored twice.</summary>
    public static IEnumerable<Criterion> Ledger(Func<string, double, double> threshold) =>
    [
        new(ScanLedger.Missing, "Every scan acknowledged with 2xx is in PostgreSQL",
            figures => figures.Observation(ScanLedger.Missing), Comparison.AtMost, threshold(ScanLedger.Missing, 0), ""),
        new(ScanLedger.Duplicates, "No acknowledged scan is stored twice",
            figures => figures.Observation(ScanLedger.Duplicates), Comparison.AtMost, threshold(ScanLedger.Duplicates, 0), ""),
    ];

    /// <summary>No 500 during impact or recovery.</summary>
    public static Criterion NoStatus500(Func<string, double, double> threshold, string statement = "Never answers 500") =>
        new(Status500, statement,
            figures => figures.Impact.CountOf(500) + figures.Recovery.CountOf(500), Comparison.AtMost, threshold(Status500, 0), "");

    /// <summary>Recovered (steady state held for the sustained window) within 30 s of the rollback.</summary>
    public static Criterion RecoversWithin(Func<string, double, double> threshold, string statement) =>
        new(RecoveryTime, statement,
            figures => figures.RecoveryTime?.TotalSeconds, Comparison.LessThan, threshold(RecoveryTime, 30), "s");

    /// <summary>Impact P99 within the API's budget plus margin (1 s by default): nothing blocks.</summary>
    public static Criterion FailsFast(Func<string, double, double> threshold, string statement) =>
        new(FailFastP99, statement,
            figures => figures.Impact.P99.TotalSeconds, Comparison.AtMost, threshold(FailFastP99, 1.0), "s");

    /// <summary>At least 95 % of the impact phase's errors carry one of <paramref name="statusCodes"/> (no hangs).</summary>
    public static Criterion ErrorsAnsweredWith(Func<string, double, double> threshold, string statement, params int[] statusCodes) =>
        new(ErrorsAre503, statement,
            figures => figures.Impact.ShareOfErrorsAnswered(statusCodes), Comparison.AtLeast, threshold(ErrorsAre503, 0.95), "%");
}
