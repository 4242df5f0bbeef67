namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// What traffic to send: a fixed arrival rate and a mix of request kinds. Bounded by design: at most
/// <see cref="MaxRatePerSecond"/> requests a second, each abandoned after <see cref="RequestTimeout"/>.
/// </summary>
public sealed record LoadProfile
{
    public const double MaxRatePerSecond = Limits.MaxRatePerSecond;
    public static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Requests per second, whatever the server does (open model).</summary>
    public double RatePerSecond { get; init; } = 20;

    /// <summary>Share of each kind, in percent; they add up to 100.</summary>
    public int VerifyPercent { get; init; } = 70;

    public int HistoryPercent { get; init; } = 20;

    public int ScanPercent { get; init; } = 10;

    /// <summary>A request with no answer by then counts as failed (status 0).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How many seeded tags the verifications cycle through (VT-000001 upwards): a warm, bounded working set.</summary>
    public int TagWorkingSet { get; init; } = 500;

    public TimeSpan Interval => TimeSpan.FromSeconds(1 / RatePerSecond);

    public int RequestsFor(TimeSpan duration) => (int)Math.Floor(duration.TotalSeconds * RatePerSecond);

    /// <summary>
    /// Deterministic (request <paramref name="index"/> of every run has the same kind) and interleaved: every block of
    /// 100 requests has the configured mix, spread through the block (37 is coprime with 100, so
    /// <c>index * 37 % 100</c> visits every slot once), so even a few seconds of load carry every kind.
    /// </summary>
    public RequestKind KindOf(int index) => (int)((long)index * 37 % 100) switch
    {
        var slot when slot < VerifyPercent => RequestKind.Verify,
        var slot when slot < VerifyPercent + HistoryPercent => RequestKind.History,
        _ => RequestKind.Scan,
    };

    /// <summary>Every problem with this profile, each naming its field and the allowed values.</summary>
    public IEnumerable<string> Validate()
    {
        if (!double.IsFinite(RatePerSecond) || RatePerSecond <= 0 || RatePerSecond > MaxRatePerSecond)
        {
            yield return $"RatePerSecond is {RatePerSecond}; allowed above 0 up to {MaxRatePerSecond}.";
        }

        if (VerifyPercent < 0 || HistoryPercent < 0 || ScanPercent < 0 || VerifyPercent + HistoryPercent + ScanPercent != 100)
        {
            yield return $"VerifyPercent + HistoryPercent + ScanPercent is {VerifyPercent} + {HistoryPercent} + {ScanPercent}; each must be 0 or more and they must add up to 100.";
        }

        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout > MaxRequestTimeout)
        {
            yield return $"RequestTimeout is {RequestTimeout}; allowed above 0 up to {MaxRequestTimeout}.";
        }

        if (TagWorkingSet is < 1 or > 10_000)
        {
            yield return $"TagWorkingSet is {TagWorkingSet}; allowed 1 to 10000 (the seeded tags).";
        }
    }
}
