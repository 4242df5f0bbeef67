namespace VokeTag.SampleApi.Scans;

/// <summary>The <c>Scans</c> configuration section.</summary>
public sealed class ScanSettings
{
    public const string SectionName = "Scans";

    /// <summary>
    /// Deliberately broken when true: answer 201 at once and write in the background, so a write that fails after
    /// the answer is lost. It exists so the lab can show that its write ledger catches lost writes; never turn it on
    /// otherwise.
    /// </summary>
    public bool AcknowledgeBeforeCommit { get; set; }

    /// <summary>
    /// On by default: <c>location</c> is checked at the edge (control characters, lone surrogates, length). Off only to
    /// let bad text reach PostgreSQL, so a test can show that the database's own refusal is answered 400 and never
    /// counted as an outage.
    /// </summary>
    public bool ValidateLocation { get; set; } = true;
}
