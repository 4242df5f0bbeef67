using System.Text.Encodings.Web;
using System.Text.Json;
using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>
/// A Chaos Toolkit run's <c>journal.json</c>, in chaoslib's shape and key order, for the tools that read CTK journals
/// (chaos report, dashboards, a team's own scripts). Only Chaos Toolkit runs have one.
/// </summary>
public sealed class JournalReport : IReportFormat
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string FileName => "journal.json";

    public bool AppliesTo(ExperimentRun run) => run.Journal is not null;

    public string Render(ExperimentRun run) => run.Journal?.ToJsonString(Indented) ?? "";
}
