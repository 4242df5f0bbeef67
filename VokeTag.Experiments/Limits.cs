namespace VokeTag.Experiments;

/// <summary>The bounds every experiment stays within, whoever wrote it: phases, rate, names a run reserves.</summary>
public static class Limits
{
    public static readonly TimeSpan MinPhase = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxPhase = TimeSpan.FromMinutes(10);

    /// <summary>The lab's default load, in requests per second.</summary>
    public const double DefaultRatePerSecond = 20;

    /// <summary>
    /// The load generator's cap, in requests per second: above what the lab's API takes here at its best (wrk: about
    /// 13,000/s on 2 cores), so that asked for more than the API can take the generator finds the API's limit, not its own.
    /// </summary>
    public const double MaxRatePerSecond = 20_000;

    /// <summary>The write ledger's criteria, part of every hypothesis.</summary>
    public const string LedgerMissing = "ledger-missing";
    public const string LedgerDuplicates = "ledger-duplicates";

    /// <summary>The lab's default baseline phase.</summary>
    public static readonly TimeSpan DefaultBaseline = TimeSpan.FromSeconds(10);

    /// <summary>The lab's default recovery phase, for rules that compare with it when a file does not set it.</summary>
    public static readonly TimeSpan DefaultRecovery = TimeSpan.FromSeconds(40);

    /// <summary>How many tags the lab seeds (VT-000001 upwards): the largest working set a load can cycle through.</summary>
    public const int SeededTags = 10_000;

    /// <summary>The lab's default impact phase.</summary>
    public static readonly TimeSpan DefaultImpact = TimeSpan.FromSeconds(20);
}
