using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>One way to present a run; every format renders the same <see cref="ExperimentRun"/> record.</summary>
public interface IReportFormat
{
    /// <summary>The file it is written to inside the run's folder.</summary>
    string FileName { get; }

    /// <summary>Whether the run has this report (a journal is only a Chaos Toolkit run's).</summary>
    bool AppliesTo(ExperimentRun run) => true;

    string Render(ExperimentRun run);
}
