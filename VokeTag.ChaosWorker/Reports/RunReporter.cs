using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.Reports;

/// <summary>Writes every report format of a run into <c>{Chaos:RunsDirectory}/{runId}/</c> and logs the console summary.</summary>
public sealed class RunReporter(IEnumerable<IReportFormat> formats, IConfiguration configuration, ILogger<RunReporter> logger)
{
    public string RunsDirectory { get; } = Path.GetFullPath(configuration["Chaos:RunsDirectory"] is { Length: > 0 } directory
        ? directory
        : Path.Combine(Path.GetTempPath(), "voketag-lab", "runs"));

    public async Task<string> WriteAsync(ExperimentRun run, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(RunsDirectory, run.RunId);
        Directory.CreateDirectory(folder);
        foreach (var format in formats.Where(format => format.AppliesTo(run)))
        {
            var content = format.Render(run);
            await File.WriteAllTextAsync(Path.Combine(folder, format.FileName), content, cancellationToken);
            if (format is ConsoleSummary)
            {
                logger.LogInformation("{Summary}", content);
            }
        }

        logger.LogInformation("Reports of {RunId} written to {Folder}", run.RunId, folder);
        return folder;
    }
}
