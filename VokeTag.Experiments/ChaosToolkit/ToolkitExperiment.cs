using System.Text.Json.Nodes;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// A Chaos Toolkit experiment file, read and validated (<see cref="ToolkitFileReader"/>). It stays data, as chaoslib
/// keeps it: the runner reads activities from <see cref="Document"/> as chaoslib reads its dicts, and the journal
/// holds the document as the file gave it.
/// </summary>
/// <param name="Name">How runs ask for it: the file's name without its extension, as <see cref="ToolkitFileReader.NameOf"/> makes it.</param>
/// <param name="Document">The whole file, in its key order.</param>
/// <param name="Warnings">What chaoslib would let pass unseen (unknown keys, deprecated forms), each naming where.</param>
public sealed record ToolkitExperiment(string Name, string Title, string Description, JsonObject Document, IReadOnlyList<string> Warnings, string Source)
{
    /// <summary>The activity types chaoslib knows.</summary>
    public static readonly IReadOnlyList<string> ActivityTypes = ["probe", "action"];

    /// <summary>The providers the lab runs; chaoslib's <c>python</c> is not one of them.</summary>
    public static readonly IReadOnlyList<string> Providers = ["http", "process", "lab"];

    public static readonly IReadOnlyList<string> HypothesisStrategies =
        ["default", "before-method-only", "after-method-only", "during-method-only", "continuously"];

    public static readonly IReadOnlyList<string> RollbackStrategies = ["default", "always", "never", "deviated"];

    public JsonObject? Hypothesis => Document["steady-state-hypothesis"] as JsonObject;

    public JsonArray Method => Document["method"] as JsonArray ?? [];

    public JsonArray Rollbacks => Document["rollbacks"] as JsonArray ?? [];

    /// <summary>Every activity of the file, where it is (e.g. <c>method[2]</c>), refs included as they are written.</summary>
    public IEnumerable<(string Where, JsonObject Activity)> Activities =>
        Entries(Hypothesis?["probes"] as JsonArray, "steady-state-hypothesis.probes")
            .Concat(Entries(Method, "method"))
            .Concat(Entries(Rollbacks, "rollbacks"));

    /// <summary><c>runtime.hypothesis.strategy</c>; chaoslib's default when absent, and its old spelling <c>continously</c> read as continuously.</summary>
    public string HypothesisStrategy => Document["runtime"]?["hypothesis"]?["strategy"]?.GetValue<string>() switch
    {
        null => "default",
        ToolkitRuntime.OldContinuously => "continuously",
        var strategy => strategy,
    };

    /// <summary>
    /// <c>runtime.hypothesis.frequency</c>: how long to wait between two checks of the hypothesis while the method runs
    /// (during-method-only, continuously); 1 s when absent. The lab's extension: chaoslib takes it from the command line
    /// only (<c>chaos run --hypothesis-frequency</c>) and ignores it in a file.
    /// </summary>
    public TimeSpan HypothesisFrequency =>
        Document["runtime"]?["hypothesis"]?["frequency"] is JsonValue frequency
            ? TimeSpan.FromSeconds(frequency.TryGetValue<long>(out var whole) ? whole : frequency.GetValue<double>())
            : TimeSpan.FromSeconds(1);

    /// <summary>
    /// <c>runtime.hypothesis.fail_fast</c>: whether the first deviation seen while the method runs fails the run. The lab's
    /// extension: chaoslib takes it from the command line only (<c>chaos run --fail-fast</c>) and ignores it in a file.
    /// </summary>
    public bool HypothesisFailFast => Document["runtime"]?["hypothesis"]?["fail_fast"]?.GetValue<bool>() ?? false;

    public string RollbackStrategy => Document["runtime"]?["rollbacks"]?["strategy"]?.GetValue<string>() ?? "default";

    private static IEnumerable<(string, JsonObject)> Entries(JsonArray? list, string where) =>
        (list ?? []).Select((entry, index) => (Where: $"{where}[{index}]", Activity: entry as JsonObject))
            .Where(entry => entry.Activity is not null)
            .Select(entry => (entry.Where, entry.Activity!));
}
