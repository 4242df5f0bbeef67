using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;
using System.Text.RegularExpressions;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// The <c>lab</c> provider: a Chaos Toolkit action that injects one of the lab's faults,
/// <c>{type: lab, fault: &lt;kind&gt;, target: &lt;resource&gt;, …parameters, duration?}</c>, with the parameters our own
/// files give the kind (<see cref="FaultKinds"/>), or <c>{type: lab, fault: rollback, target?}</c>, which undoes this run's
/// lab faults (only those on the target, when it names one). The values are read as written (no <c>${…}</c>), and a key
/// the kind does not take is a problem, as in our own files: a fault must not run with a parameter silently left out.
/// Targets are only checked for their form here; the lab checks them against its allow-list when it runs.
/// </summary>
public static partial class ToolkitLabProvider
{
    public const string Rollback = "rollback";

    /// <summary>The faults the provider injects: every kind but the load kinds (a spike drives the load generator, which a Chaos Toolkit file does not run).</summary>
    public static IReadOnlyList<string> Faults { get; } = [.. FaultKinds.All.Where(kind => !kind.IsLoad).Select(kind => kind.Name), Rollback];

    internal static void Check(ToolkitCursor provider)
    {
        var fault = provider["fault"];
        if (!provider.Has("fault"))
        {
            fault.Problem($"is missing; a lab provider names its fault: {string.Join(", ", Faults)}.");
            return;
        }

        var kind = FaultKinds.Find(fault.Text ?? "");
        if (kind is { IsLoad: true })
        {
            fault.Problem($"{kind.Name} is a load kind: it changes the load generator's traffic, which a Chaos Toolkit file does not drive; the lab provider injects faults: {string.Join(", ", Faults)}.");
            return;
        }

        if (kind is null && fault.Text != Rollback)
        {
            fault.Problem($"found {fault.Found}{ToolkitCursor.Suggestion(fault.Text ?? "", Faults)}; the lab faults are: {string.Join(", ", Faults)}.");
            return;
        }

        if (kind is null)
        {
            // rollback: an optional target, nothing else
            foreach (var key in provider.Keys.Where(key => key is not ("type" or "fault" or "target")))
            {
                provider.Key(key).Problem($"'{key}' is not a parameter of {Rollback}; {Rollback} takes: target (optional: only that target's faults are undone).");
            }

            if (provider.Has("target") && (provider["target"].Text is not { } name || !ResourceName().IsMatch(name)))
            {
                provider["target"].Problem($"found {provider["target"].Found}; a target is a lab resource's name: lowercase letters, digits and single hyphens (cache, db, api, cache-proxy, db-proxy, …).");
            }

            return;
        }

        var problems = new List<DefinitionProblem>();
        Read((JsonObject)provider.Node!, provider.File, provider.Path, problems);
        foreach (var problem in problems)
        {
            provider.Add(problem);
        }
    }

    /// <summary>
    /// The fault a lab provider injects, read by the reader of the lab's own files (one vocabulary, one set of rules):
    /// <c>fault</c> is its kind, <c>duration</c> (with its unit, or a number of seconds) how long it lasts.
    /// </summary>
    /// <param name="provider">The provider as written, or with its values substituted when a run reads it.</param>
    public static FaultDefinition? Read(JsonObject provider, string file, string path, List<DefinitionProblem> problems)
    {
        var mapping = new YamlMappingNode();
        foreach (var (key, value) in provider.Where(pair => pair.Key != "type"))
        {
            // Text stays text (a quoted number is not a number, as in the lab's own files); a bare number of seconds is a duration.
            var text = value is JsonValue scalar && scalar.GetValueKind() == JsonValueKind.String;
            mapping.Add(key, new YamlScalarNode(text ? value!.GetValue<string>() : key == "duration" && value?.GetValueKind() == JsonValueKind.Number ? $"{value.ToJsonString()}s" : value?.ToJsonString() ?? "")
            {
                Style = text ? YamlDotNet.Core.ScalarStyle.DoubleQuoted : YamlDotNet.Core.ScalarStyle.Plain,
            });
        }

        return ExperimentFileReader.LabFault(mapping, file, path, problems);
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ResourceName();
}
