namespace VokeTag.Bench.Stability;

/// <summary>
/// The API the experiments run against: the reference API, which every experiment must pass every time, or the
/// weakened one (<c>Lab:Weakened=true</c>), which every experiment must fail every time.
/// </summary>
public sealed record LabVariant(string Name, string ExpectedVerdict, IReadOnlyList<string> Settings)
{
    public static readonly LabVariant Reference = new("reference", "pass", []);

    public static readonly LabVariant Weakened = new("weakened", "fail", ["Lab:Weakened=true"]);

    public static readonly string[] Names = [Reference.Name, Weakened.Name];

    public static LabVariant Named(string name) => name == Weakened.Name ? Weakened : Reference;

    /// <summary>Whether a run's status is the verdict this variant must get: passed, or failed/aborted.</summary>
    public static bool IsExpected(string variant, string status) =>
        variant == Weakened.Name ? status is "failed" or "aborted" : status == "passed";
}
