using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Experiments;
using VokeTag.ChaosWorker.Faults;
using VokeTag.ChaosWorker.Hypotheses;
using VokeTag.Experiments.ChaosToolkit;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// A Chaos Toolkit file in the worker's catalog beside the lab's own files: listed, planned, checked against the
/// allow-list and run by name or path like them, but run by <see cref="ToolkitRunner"/> (its activities, not the lab's
/// phases under load).
/// </summary>
public sealed class ToolkitFileExperiment(ToolkitExperiment toolkit) : ChaosExperiment
{
    public ToolkitExperiment Toolkit { get; } = toolkit;

    public override string Name => Toolkit.Name;

    public override string Title => Toolkit.Title;

    /// <summary>No faults on the lab's schedule: the file's lab providers inject theirs as its activities run.</summary>
    public override IReadOnlyList<ScheduledFault> CreateFaults(FaultContext context) => [];

    /// <summary>Its hypothesis probes, each a criterion "within tolerance", judged before and after the method as its strategy says.</summary>
    public override Hypothesis DefineHypothesis(RunOptions options) => new(
        Toolkit.Hypothesis?["title"]?.ToString() ?? "no steady-state hypothesis",
        [.. (Toolkit.Hypothesis?["probes"] as JsonArray ?? []).OfType<JsonObject>().Select(probe =>
        {
            var name = probe["name"]?.ToString() ?? probe["ref"]?.ToString() ?? "probe";
            return new Criterion(name, $"{name} within tolerance {probe["tolerance"]?.ToJsonString()}", _ => null,
                VokeTag.Experiments.Comparison.AtLeast, 1, Criterion.ToleranceUnit);
        })]);

    /// <summary>Guardrails watch the lab's steady load, which a Chaos Toolkit run does not send: its own probes are its watch.</summary>
    public override IReadOnlyList<Guardrails.Guardrail> Guardrails(RunOptions options) => [];
}
