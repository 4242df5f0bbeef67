using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// Reads Chaos Toolkit experiment files, the lab's second input format, told from its own by their shape. It checks what
/// chaoslib's <c>ensure_experiment_is_valid</c> checks, with chaoslib's messages, and what chaoslib lets through only to
/// crash or to do something else than the file says at run time (unknown strategies, missing rollback refs); and it refuses
/// what the lab cannot run (python providers, controls, vault). Every problem is reported, not the first.
/// </summary>
public static partial class ToolkitFileReader
{
    /// <summary>The top-level keys of chaoslib's experiment format.</summary>
    private static readonly string[] TopLevel =
        ["version", "title", "description", "tags", "contributions", "configuration", "secrets", "extensions", "controls", "runtime", "steady-state-hypothesis", "method", "rollbacks"];

    /// <summary>The lab's own format's keys besides title and description: a file with either and none of these is a Chaos Toolkit file.</summary>
    private static readonly string[] OwnFormat = ["$schema", "name", "hypothesis", "learning", "load", "phases", "faults", "steadyState", "criteria", "guardrails"];

    /// <summary>
    /// Whether a file is a Chaos Toolkit experiment (a mapping with <c>method</c> or <c>steady-state-hypothesis</c>, or a
    /// title and a description without the lab format's keys), or something made from one that <see cref="Read"/> refuses
    /// by name: a journal, a Kubernetes ConfigMap holding an experiment, a Reliably template.
    /// </summary>
    public static bool LooksLikeToolkit(YamlNode root)
    {
        if (root is not YamlMappingNode mapping)
        {
            return false;
        }

        var keys = Keys(mapping);
        return keys.Contains("method") || keys.Contains("steady-state-hypothesis") || Wrapper(mapping) is not null
            || (keys.Contains("title") && keys.Contains("description") && !keys.Overlaps(OwnFormat));
    }

    /// <summary>Validates a Chaos Toolkit file: the experiment when it can run, else every problem found in it.</summary>
    /// <param name="file">The file as shown in messages; its name without extension names the experiment.</param>
    public static ExperimentFileResult Read(YamlNode root, string file, ToolkitValidationContext context)
    {
        if (root is YamlMappingNode wrapped && Wrapper(wrapped) is { } wrapper)
        {
            return new ExperimentFileResult(file, null, [new DefinitionProblem(file, (int)root.Start.Line, (int)root.Start.Column, "", wrapper)]);
        }

        var document = ToolkitDocument.Parse(root);
        var findings = new Findings(file, document);
        foreach (var tagged in root.AllNodes.Where(node => node.Tag.IsGlobal && node.Tag.Value.StartsWith("tag:yaml.org,2002:python/", StringComparison.Ordinal)))
        {
            findings.Problems.Add(new DefinitionProblem(file, (int)tagged.Start.Line, (int)tagged.Start.Column, "",
                $"the YAML tag !!{tagged.Tag.Value["tag:yaml.org,2002:".Length..]} cannot be read: chaoslib loads YAML with safe_load, which builds no Python objects; write the value itself."));
        }

        var experiment = ToolkitCursor.Root(document, findings);
        Experiment(experiment, context);
        if (findings.Problems.Count > 0)
        {
            // The warnings too: a misspelt key is often why a problem follows.
            return new ExperimentFileResult(file, null, Ordered(findings.Problems)) { Warnings = Ordered(findings.Warnings) };
        }

        var toolkit = new ToolkitExperiment(NameOf(file), experiment["title"].Shown, experiment["description"].Shown, (JsonObject)document.Root!,
            [.. Ordered(findings.Warnings).Select(warning => warning.ToString())], file);
        return new ExperimentFileResult(file, null, [], toolkit) { Warnings = Ordered(findings.Warnings) };
    }

    private static List<DefinitionProblem> Ordered(List<DefinitionProblem> findings) =>
        [.. findings.OrderBy(finding => finding.Line).ThenBy(finding => finding.Column)];

    /// <summary>How runs ask for a Chaos Toolkit file: its name without extension, lowercase, anything but a-z, 0-9 and - as -.</summary>
    public static string NameOf(string file) =>
        NotInName().Replace(Path.GetFileNameWithoutExtension(file).ToLowerInvariant(), "-");

    /// <summary>
    /// A <c>.json</c> file as chaoslib reads it, with Python's <c>json</c>: no comments or trailing commas, which the YAML
    /// reader would let through. Null when it reads.
    /// </summary>
    internal static DefinitionProblem? StrictJson(string text, string file)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            return null;
        }
        catch (JsonException exception)
        {
            var message = exception.Message.Split(" LineNumber:")[0].Replace(" Change the reader options.", "").Trim();
            return new DefinitionProblem(file, (int)(exception.LineNumber ?? 0) + 1, (int)(exception.BytePositionInLine ?? 0) + 1, "",
                $"is not valid JSON (chaoslib reads .json files with Python's json: no comments or trailing commas): {message}");
        }
    }

    private static void Experiment(ToolkitCursor experiment, ToolkitValidationContext context)
    {
        if (!experiment.IsMapping)
        {
            experiment.Problem($"found {experiment.Found}; a Chaos Toolkit experiment is a mapping with: title, description, method, and optionally {string.Join(", ", TopLevel.Except(["title", "description", "method"]))}.");
            return;
        }

        if (experiment.IsFalsy)
        {
            experiment.Problem("an empty experiment is not an experiment; it needs: title, description, method.");
            return;
        }

        Text(experiment["title"], "experiment requires a title.");
        Text(experiment["description"], "experiment requires a description.");
        ToolkitMetadata.Check(experiment);
        ToolkitConfiguration.Check(experiment["configuration"], context);
        ToolkitConfiguration.CheckSecrets(experiment["secrets"], context);
        ToolkitActivities.Controls(experiment["controls"]);
        ToolkitRuntime.Check(experiment["runtime"]);

        var scope = new ActivityScope(context, Names(experiment));
        Hypothesis(experiment["steady-state-hypothesis"], scope);
        Method(experiment["method"], scope);
        Rollbacks(experiment["rollbacks"], scope);
        UnknownKeys(experiment);
    }

    private static void Text(ToolkitCursor value, string missing)
    {
        if (value.IsFalsy)
        {
            value.Problem(missing);
        }
        else if (value.IsMapping || value.IsList)
        {
            value.Problem($"found {value.Found}; expected a text.");
        }
    }

    /// <summary>
    /// chaoslib's activity cache: the names of method activities, then of hypothesis probes (a later one wins), each with
    /// where it is. Rollbacks are not in it: nothing can refer to them.
    /// </summary>
    private static Dictionary<string, List<string>> Names(ToolkitCursor experiment)
    {
        var names = new Dictionary<string, List<string>>();
        foreach (var activity in experiment["method"].Items.Concat(experiment["steady-state-hypothesis"]["probes"].Items))
        {
            if (!activity["name"].IsFalsy && activity.IsMapping)
            {
                (names.TryGetValue(activity["name"].Shown, out var places) ? places : names[activity["name"].Shown] = []).Add(activity.Path);
            }
        }

        return names;
    }

    private static void Hypothesis(ToolkitCursor hypothesis, ActivityScope scope)
    {
        if (hypothesis.Node is null)
        {
            return;
        }

        if (!hypothesis.IsMapping)
        {
            hypothesis.Problem($"found {hypothesis.Found}; the steady-state hypothesis is a mapping: {{title, probes: [...]}}.");
            return;
        }

        if (hypothesis["title"].IsFalsy)
        {
            hypothesis["title"].Problem("hypothesis requires a title.");
        }

        ToolkitActivities.Controls(hypothesis["controls"]);
        hypothesis.UnknownKeys(["title", "probes", "controls"], "steady-state-hypothesis");
        var probes = hypothesis["probes"];
        if (probes.IsFalsy)
        {
            probes.Warning("the hypothesis has no probes: nothing is checked before or after the method.");
            return;
        }

        if (!probes.IsList)
        {
            probes.Problem($"found {probes.Found}; probes are a list of probes, each with a tolerance (chaoslib crashes on anything else).");
            return;
        }

        foreach (var probe in probes.Items)
        {
            if (ToolkitActivities.Check(probe, ActivityPlace.Hypothesis, scope))
            {
                ToolkitTolerances.CheckOf(probe, scope);
            }
        }
    }

    private static void Method(ToolkitCursor method, ActivityScope scope)
    {
        if (method.Node is null)
        {
            // chaoslib's message, trailing space included.
            method.Problem("an experiment requires a method, which can be empty for only checking steady state hypothesis (a list of activities; method: [] only checks the hypothesis).");
        }
        else if (!method.IsList)
        {
            method.Problem($"found {method.Found}; the method is a list of activities (chaoslib crashes on anything else).");
        }

        foreach (var activity in method.Items)
        {
            ToolkitActivities.Check(activity, ActivityPlace.Method, scope);
        }
    }

    private static void Rollbacks(ToolkitCursor rollbacks, ActivityScope scope)
    {
        if (rollbacks.Node is not null && !rollbacks.IsList)
        {
            rollbacks.Problem($"found {rollbacks.Found}; rollbacks are a list of activities.");
        }

        foreach (var activity in rollbacks.Items)
        {
            ToolkitActivities.Check(activity, ActivityPlace.Rollbacks, scope);
        }
    }

    private static void UnknownKeys(ToolkitCursor experiment)
    {
        foreach (var key in experiment.Keys.Where(key => !TopLevel.Contains(key)))
        {
            if (key == "dry")
            {
                experiment.Key(key).Warning("'dry' is ignored: the run decides what is dry (chaos run --dry overwrites it too).");
                continue;
            }

            var suggestion = ToolkitCursor.Suggestion(key, TopLevel);
            var consequence = suggestion.Contains("steady-state-hypothesis") && !experiment.Has("steady-state-hypothesis")
                ? "chaoslib ignores it, so this file has no steady-state hypothesis: nothing is checked before or after the method"
                : "chaoslib ignores it, and so does the lab";
            experiment.Key(key).Warning($"unknown key '{key}'{suggestion}; {consequence}; known keys: {string.Join(", ", TopLevel)}.");
        }
    }

    /// <summary>Why a file made from an experiment is not one, or null.</summary>
    private static string? Wrapper(YamlMappingNode mapping)
    {
        var keys = Keys(mapping);
        if (keys.Contains("chaoslib-version") || (keys.Contains("experiment") && keys.Contains("run")))
        {
            return "is a Chaos Toolkit journal (chaoslib-version, run), the record of a run, not an experiment: run the experiment file it came from (the journal keeps a copy of it under experiment).";
        }

        if (Scalar(mapping, "kind") == "ConfigMap" && mapping.Children.FirstOrDefault(pair => Scalar(pair.Key) == "data").Value is YamlMappingNode data
            && data.Children.FirstOrDefault(pair => Scalar(pair.Value) is { } text && (text.Contains("method") || text.Contains("steady-state-hypothesis"))).Key is { } entry)
        {
            return $"is a Kubernetes ConfigMap holding a Chaos Toolkit experiment in data.{Scalar(entry)}, not an experiment file: save data.{Scalar(entry)} as a file of its own (.json, .yaml) and run that.";
        }

        if (keys.Contains("metadata") && mapping.Children.FirstOrDefault(pair => Scalar(pair.Key) == "spec").Value is YamlMappingNode spec
            && Keys(spec).Contains("template"))
        {
            return "is a Reliably experiment template (metadata, spec.template), not an experiment: render it into a Chaos Toolkit experiment file first.";
        }

        return null;
    }

    private static HashSet<string> Keys(YamlMappingNode mapping) => [.. mapping.Children.Keys.Select(key => Scalar(key) ?? "")];

    private static string? Scalar(YamlMappingNode mapping, string key) => Scalar(mapping.Children.FirstOrDefault(pair => Scalar(pair.Key) == key).Value);

    private static string? Scalar(YamlNode? node) => (node as YamlScalarNode)?.Value;

    [GeneratedRegex("[^a-z0-9-]")]
    private static partial Regex NotInName();
}
