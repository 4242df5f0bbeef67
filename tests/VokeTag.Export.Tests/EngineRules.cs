using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VokeTag.Export.Tests;

/// <summary>
/// What the engines refuse in their admission webhooks or at run time rather than in their CRD schemas, checked
/// offline: Chaos Mesh's (a pod-failure needs a duration; a StressChaos a stressor with workers; direction from or both
/// a target; fixed and percent modes a value; every Workflow template a deadline, and its entry and children must
/// exist) and Litmus's (probe timeouts and intervals are duration strings; a probe's criterion and code are ones its
/// httpProbe knows; an engine's experiment and service account are in the same file).
/// </summary>
public static partial class EngineRules
{
    /// <summary>Every rule a document breaks; <paramref name="file"/> holds the documents it may refer to.</summary>
    public static IReadOnlyList<string> Problems(JsonNode document, IReadOnlyList<JsonNode> file) =>
        document["kind"]?.GetValue<string>() switch
        {
            "PodChaos" or "NetworkChaos" or "StressChaos" => Chaos(document["kind"]!.GetValue<string>(), document["spec"]!, "spec"),
            "Workflow" => Workflow(document["spec"]!),
            "ChaosEngine" => Engine(document, file),
            _ => [],
        };

    private static IReadOnlyList<string> Chaos(string kind, JsonNode spec, string at)
    {
        var problems = new List<string>();
        var mode = Text(spec["mode"]);
        var value = Text(spec["value"]);
        if (mode is "fixed" && !(int.TryParse(value, CultureInfo.InvariantCulture, out var count) && count > 0))
        {
            problems.Add($"{at}.value: mode fixed needs a number of pods above 0; found '{value}'");
        }

        if (mode is "fixed-percent" or "random-max-percent" && !(int.TryParse(value, CultureInfo.InvariantCulture, out var percent) && percent is > 0 and <= 100))
        {
            problems.Add($"{at}.value: mode {mode} needs a percentage from 1 to 100; found '{value}'");
        }

        if (spec["duration"] is { } duration && !IsDuration(Text(duration)))
        {
            problems.Add($"{at}.duration: '{Text(duration)}' is not a duration such as 30s");
        }

        switch (kind)
        {
            case "PodChaos" when Text(spec["action"]) == "pod-failure" && spec["duration"] is null:
                problems.Add($"{at}.duration: a pod-failure needs a duration (the pods stay broken until it ends)");
                break;
            case "StressChaos":
                var stressors = spec["stressors"]?.AsObject();
                var workers = stressors?.Select(stressor => stressor.Value?["workers"]?.GetValue<long>() ?? 0).DefaultIfEmpty(0).Max() ?? 0;
                if (workers <= 0 && Text(spec["stressngStressors"]) is null or "")
                {
                    problems.Add($"{at}.stressors: a StressChaos needs a stressor with workers above 0");
                }

                break;
            case "NetworkChaos":
                if (Text(spec["direction"]) is "from" or "both" && spec["target"]?["selector"] is null)
                {
                    problems.Add($"{at}.target: direction {Text(spec["direction"])} needs a target");
                }

                if (spec["target"] is { } target)
                {
                    problems.AddRange(Chaos("target", target, $"{at}.target"));
                }

                var action = Text(spec["action"]) ?? "delay";
                if (action is "delay" or "loss" or "bandwidth" && spec[action] is null)
                {
                    problems.Add($"{at}.{action}: action {action} needs its settings");
                }

                break;
        }

        return problems;
    }

    private static IReadOnlyList<string> Workflow(JsonNode spec)
    {
        var problems = new List<string>();
        var templates = spec["templates"]!.AsArray().Select(template => template!).ToList();
        var names = templates.Select(template => Text(template["name"])!).ToList();
        if (!names.Contains(Text(spec["entry"])!))
        {
            problems.Add($"spec.entry: '{Text(spec["entry"])}' names no template");
        }

        foreach (var (template, name) in templates.Zip(names))
        {
            var type = Text(template["templateType"]);
            if (!IsDuration(Text(template["deadline"])))
            {
                problems.Add($"template {name}: every template needs a deadline (a duration such as 30s); found '{Text(template["deadline"])}'");
            }

            if (type is "Serial" or "Parallel")
            {
                var children = template["children"]?.AsArray().Select(child => Text(child)!).ToList() ?? [];
                problems.AddRange(children.Count == 0 ? [$"template {name}: a {type} template needs children"] : []);
                problems.AddRange(children.Where(child => !names.Contains(child)).Select(child => $"template {name}: child '{child}' names no template"));
            }
            else if (type is "PodChaos" or "NetworkChaos" or "StressChaos")
            {
                var field = char.ToLowerInvariant(type[0]) + type[1..];
                problems.AddRange(template[field] is { } chaos ? Chaos(type, chaos, $"template {name}.{field}") : [$"template {name}: a {type} template needs {field}"]);
            }
            else if (type != "Suspend")
            {
                problems.Add($"template {name}: templateType '{type}' is not one the export writes");
            }
        }

        if (names.Distinct().Count() != names.Count)
        {
            problems.Add("spec.templates: template names are unique");
        }

        return problems;
    }

    private static IReadOnlyList<string> Engine(JsonNode engine, IReadOnlyList<JsonNode> file)
    {
        var problems = new List<string>();
        var spec = engine["spec"]!;
        var account = Text(spec["chaosServiceAccount"]);
        if (!file.Any(document => Text(document["kind"]) == "ServiceAccount" && Text(document["metadata"]!["name"]) == account))
        {
            problems.Add($"spec.chaosServiceAccount: '{account}' is not in the same file");
        }

        foreach (var experiment in spec["experiments"]!.AsArray())
        {
            var name = Text(experiment!["name"]);
            if (!file.Any(document => Text(document["kind"]) == "ChaosExperiment" && Text(document["metadata"]!["name"]) == name))
            {
                problems.Add($"experiments[{name}]: its ChaosExperiment is not in the same file");
            }

            foreach (var variable in experiment["spec"]!["components"]?["env"]?.AsArray() ?? [])
            {
                if (Text(variable!["name"]) is "TOTAL_CHAOS_DURATION" or "RAMP_TIME" or "CHAOS_INTERVAL" && !(int.TryParse(Text(variable["value"]), CultureInfo.InvariantCulture, out var seconds) && seconds >= 0))
                {
                    problems.Add($"experiments[{name}].env.{Text(variable["name"])}: '{Text(variable["value"])}' is not a whole number of seconds");
                }
            }

            foreach (var probe in experiment["spec"]!["probe"]?.AsArray() ?? [])
            {
                var run = probe!["runProperties"]!;
                foreach (var key in new[] { "probeTimeout", "interval", "probePollingInterval", "initialDelay", "evaluationTimeout" }.Where(key => run[key] is not null))
                {
                    if (!IsDuration(Text(run[key])))
                    {
                        problems.Add($"probe {Text(probe["name"])}: runProperties.{key} is '{Text(run[key])}'; Litmus 3.x takes a duration string such as 5s");
                    }
                }

                if (probe["httpProbe/inputs"]?["method"]?["get"] is { } get)
                {
                    if (Text(get["criteria"]) is not ("==" or "!=" or "oneOf"))
                    {
                        problems.Add($"probe {Text(probe["name"])}: criteria '{Text(get["criteria"])}'; an httpProbe takes ==, != or oneOf");
                    }

                    if (!int.TryParse(Text(get["responseCode"]), CultureInfo.InvariantCulture, out var code) || code is < 0 or > 599)
                    {
                        problems.Add($"probe {Text(probe["name"])}: responseCode '{Text(get["responseCode"])}' is not an HTTP status");
                    }

                    if (!Uri.TryCreate(Text(probe["httpProbe/inputs"]!["url"]), UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                    {
                        problems.Add($"probe {Text(probe["name"])}: url is not an absolute http(s) URL");
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>A Go duration (what both engines parse): <c>5s</c>, <c>1m30s</c>, <c>500ms</c>.</summary>
    public static bool IsDuration(string? text) => text is not null && GoDuration().IsMatch(text);

    private static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();
}
