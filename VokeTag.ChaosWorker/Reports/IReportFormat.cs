using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>One way to present a run; every format renders the same <see cref="ExperimentRun"/> record.</summary>
public interface IReportFormat
{
    /// <summary>The file it is written to inside the run's folder.</summary>
    string FileName { get; }

    string Render(ExperimentRun run);
}
