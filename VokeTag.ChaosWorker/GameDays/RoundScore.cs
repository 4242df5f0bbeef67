using VokeTag.ChaosWorker.Experiments;

namespace VokeTag.ChaosWorker.GameDays;

/// <summary>
/// A round's score card, from measured facts only: when the fault went in, how long until the team declared and
/// diagnosed it, their wrong calls, the mitigation, how long until the service was steady again, and the errors users
/// saw meanwhile. <see cref="Points"/> sums them simply (see <see cref="PointsRule"/>).
/// </summary>
public sealed record RoundScore(
    DateTimeOffset? InjectedAt,
    double? DetectSeconds,
    double? DiagnoseSeconds,
    int WrongDiagnoses,
    IReadOnlyList<string> WrongDiagnosisList,
    IReadOnlyList<string> FalseAlarms,
    MitigationScore? Mitigation,
    int WrongMitigations,
    double? RecoverySeconds,
    double? IncidentSeconds,
    int ErrorsSeen,
    double ErrorsPerMinute,
    int Points,
    IReadOnlyList<string> Findings)
{
    public const string PointsRule =
        "Points: detected +20, correct diagnosis +30, correct mitigation +30, and up to +10 each for detecting and diagnosing " +
        "early (in proportion to the time left of the round's limit); −10 per wrong diagnosis or wrong mitigation, −5 per false " +
        "alarm; never below 0.";

    /// <param name="entries">The round's timeline entries, of every team or of one.</param>
    public static RoundScore Of(IReadOnlyList<TimelineEntry> entries, DateTimeOffset? injectedAt, TimeSpan limit, ExperimentRun? run)
    {
        bool Live(TimelineEntry entry) => injectedAt is { } injected && entry.At >= injected;
        double? Since(TimelineEntry? entry) => entry is null || injectedAt is null ? null : (entry.At - injectedAt.Value).TotalSeconds;

        var detected = entries.FirstOrDefault(entry => entry.Kind == TimelineKinds.Declare && Live(entry));
        var falseAlarms = entries.Where(entry => entry.Kind == TimelineKinds.Declare && !Live(entry)).Select(entry => entry.Text).ToList();
        var diagnoses = entries.Where(entry => entry.Kind == TimelineKinds.Diagnose && Live(entry) && entry.Correct is not null).ToList();
        var diagnosed = diagnoses.FirstOrDefault(entry => entry.Correct == true);
        var wrongDiagnoses = diagnoses.Where(entry => entry.Correct == false && (diagnosed is null || entry.At <= diagnosed.At)).Select(entry => entry.Said ?? entry.Text).ToList();
        var mitigations = entries.Where(entry => entry.Kind == TimelineKinds.Mitigate && Live(entry) && entry.Correct is not null).ToList();
        var mitigated = mitigations.FirstOrDefault(entry => entry.Correct == true);
        var shownMitigation = mitigated ?? mitigations.LastOrDefault();
        var wrongMitigations = mitigations.Count(entry => entry.Correct == false && (mitigated is null || entry.At <= mitigated.At));

        var impact = run?.Phases.FirstOrDefault(phase => phase.Name == "impact");
        var recovery = run?.Phases.FirstOrDefault(phase => phase.Name == "recovery");
        var recoveryTime = run?.Figures?.RecoveryTime;
        // The error rate is over the requests the API took on (shed ones apart), so the count is too.
        var errors = impact is null ? 0 : (int)Math.Round((impact.Statistics.Requests - impact.Statistics.Shed) * impact.Statistics.ErrorRate);
        var minutes = impact is null ? 0 : (impact.EndedAt - impact.StartedAt).TotalMinutes;
        double? incident = injectedAt is { } start && recovery is not null && recoveryTime is { } steadyAfter
            ? (recovery.StartedAt + steadyAfter - start).TotalSeconds
            : null;

        var findings = new List<string>();
        if (injectedAt is null)
        {
            findings.Add("no fault was injected in this round");
        }
        else
        {
            if (detected is null)
            {
                findings.Add($"not detected within the round's limit ({limit.TotalSeconds:0} s)");
            }

            if (diagnosed is null)
            {
                findings.Add("not diagnosed correctly");
            }

            if (mitigated is null)
            {
                findings.Add("no correct mitigation: the fault stayed until it healed by itself or the round's limit");
            }

            if (recoveryTime is null)
            {
                findings.Add("the service was not measured steady again within the recovery phase");
            }
        }

        var points = PointsFor(Since(detected), Since(diagnosed), mitigated is not null, wrongDiagnoses.Count, wrongMitigations, falseAlarms.Count, limit);
        return new RoundScore(injectedAt, Since(detected), Since(diagnosed), wrongDiagnoses.Count, wrongDiagnoses, falseAlarms,
            shownMitigation is null ? null : new MitigationScore(shownMitigation.Said ?? shownMitigation.Text, shownMitigation.At, Since(shownMitigation)!.Value, shownMitigation.Correct == true),
            wrongMitigations, recoveryTime?.TotalSeconds, incident, errors, minutes > 0 ? errors / minutes : 0, points, findings);
    }

    private static int PointsFor(double? detect, double? diagnose, bool mitigated, int wrongDiagnoses, int wrongMitigations, int falseAlarms, TimeSpan limit)
    {
        double Early(double seconds) => 10 * Math.Clamp(1 - seconds / limit.TotalSeconds, 0, 1);
        var points = (detect is { } d ? 20 + Early(d) : 0)
            + (diagnose is { } g ? 30 + Early(g) : 0)
            + (mitigated ? 30 : 0)
            - 10 * (wrongDiagnoses + wrongMitigations) - 5 * falseAlarms;
        return Math.Max(0, (int)Math.Round(points));
    }
}

/// <summary>The mitigation a round's score shows: the correct one, or else the last wrong one.</summary>
public sealed record MitigationScore(string Action, DateTimeOffset At, double Seconds, bool Correct);
