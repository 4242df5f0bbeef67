using System.Text.RegularExpressions;
using VokeTag.Experiments.ChaosToolkit;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VokeTag.Experiments;

/// <summary>
/// An experiment file read: its experiment when it has no problem (<see cref="Definition"/> for the lab's own format,
/// <see cref="Toolkit"/> for a Chaos Toolkit file), else every problem found in it.
/// </summary>
public sealed record ExperimentFileResult(string File, ExperimentDefinition? Definition, IReadOnlyList<DefinitionProblem> Problems, ToolkitExperiment? Toolkit = null)
{
    public bool IsValid => Definition is not null || Toolkit is not null;

    /// <summary>How runs ask for the experiment, when the file has one.</summary>
    public string? Name => Definition?.Name ?? Toolkit?.Name;

    /// <summary>What a Chaos Toolkit file lets pass that chaoslib would ignore unseen (an unknown key, a deprecated form), valid or not.</summary>
    public IReadOnlyList<DefinitionProblem> Warnings { get; init; } = [];
}

/// <summary>
/// Reads experiment files, YAML or JSON (one model; JSON is read as YAML), in the lab's own format or Chaos Toolkit's
/// (told by its shape, read by <see cref="ToolkitFileReader"/>). For its own format it checks everything that can be checked
/// without a lab: keys, types, units, ranges, the vocabulary (<see cref="FaultKinds"/>, <see cref="Metrics"/>) and the
/// rules across fields. Every problem is reported, not the first. What only a running lab knows (its resources, the
/// allow-list) is checked when a run is planned.
/// </summary>
public static partial class ExperimentFileReader
{
    public static readonly IReadOnlyList<string> Extensions = [".yaml", ".yml", ".json"];

    /// <summary>Whether a run names a file (by its extension) rather than an experiment of the folder.</summary>
    public static bool IsFilePath(string nameOrPath) =>
        Extensions.Any(extension => nameOrPath.EndsWith(extension, StringComparison.OrdinalIgnoreCase));

    public static readonly IReadOnlyList<string> Comparisons = ["<", "<=", ">", ">="];

    public static readonly IReadOnlyList<string> GuardrailMetrics = ["error-rate", "p95", "p99", "api-cpu", "api-memory", "db-pool-waiting"];

    public static readonly IReadOnlyList<string> WatchPlaces = ["traces", "metrics", "logs", "resources"];

    public static readonly IReadOnlyList<string> ServedFrom = ["cache", "database", "fallback"];

    private static readonly string[] TopLevel =
        ["$schema", "name", "title", "description", "hypothesis", "learning", "load", "phases", "faults", "steadyState", "criteria", "guardrails"];

    private static readonly string[] Required = ["name", "title", "description", "hypothesis", "faults", "criteria"];

    /// <summary>Names a run adds to every hypothesis or gives its guardrails; a file's criteria cannot take them.</summary>
    private static readonly string[] ReservedNames = [Limits.LedgerMissing, Limits.LedgerDuplicates, "all"];

    public static ExperimentFileResult Read(string path, string? displayPath = null)
    {
        var shown = displayPath ?? path;
        try
        {
            return Parse(File.ReadAllText(path), shown);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new ExperimentFileResult(shown, null, [new DefinitionProblem(shown, 1, 1, "", $"cannot be read: {exception.Message}")]);
        }
    }

    public static ExperimentFileResult Parse(string text, string file) => Parse(text, file, ToolkitValidationContext.Default);

    /// <param name="toolkit">What a Chaos Toolkit file's validation reads from the machine (environment, executables).</param>
    public static ExperimentFileResult Parse(string text, string file, ToolkitValidationContext toolkit)
    {
        var problems = new List<DefinitionProblem>();
        YamlNode root;
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count != 1)
            {
                return Failed(file, new DefinitionProblem(file, 1, 1, "", $"holds {stream.Documents.Count} documents; expected one experiment."));
            }

            root = stream.Documents[0].RootNode;
        }
        catch (YamlException exception)
        {
            var message = (exception.InnerException?.Message ?? exception.Message).Split(" (Line:")[0].Trim();
            return Failed(file, new DefinitionProblem(file, (int)exception.Start.Line, (int)exception.Start.Column, "",
                $"is not valid YAML or JSON: {message}"));
        }

        if (ToolkitFileReader.LooksLikeToolkit(root))
        {
            return Path.GetExtension(file).Equals(".json", StringComparison.OrdinalIgnoreCase) && ToolkitFileReader.StrictJson(text, file) is { } notJson
                ? Failed(file, notJson)
                : ToolkitFileReader.Read(root, file, toolkit);
        }

        var cursor = new YamlCursor(root, "", file, problems);
        var entries = cursor.Mapping(TopLevel);
        if (entries is null)
        {
            return new ExperimentFileResult(file, null, problems);
        }

        foreach (var key in Required.Where(key => !entries.ContainsKey(key)))
        {
            cursor.Child(root, key).Problem($"is missing; every experiment states: {string.Join(", ", Required)}.");
        }

        var name = entries.GetValueOrDefault("name") is { } nameNode ? Identifier(nameNode, "an experiment") : null;
        var title = entries.GetValueOrDefault("title")?.Text(200);
        var description = entries.GetValueOrDefault("description")?.Text();
        var hypothesis = entries.GetValueOrDefault("hypothesis")?.Text();
        var learning = entries.GetValueOrDefault("learning") is { } learningNode ? Learning(learningNode) : new LearningNotes([], "");
        var load = entries.GetValueOrDefault("load") is { } loadNode ? Load(loadNode) : new LoadDefinition(null, null, null, null);
        var phases = entries.GetValueOrDefault("phases") is { } phasesNode ? Phases(phasesNode) : new PhaseDefinition(null, null, null, null);
        var faults = entries.GetValueOrDefault("faults") is { } faultsNode ? Faults(faultsNode, phases, load) : [];
        var steadyState = entries.GetValueOrDefault("steadyState") is { } steadyNode ? SteadyState(steadyNode) : new SteadyStateDefinition(null, false);
        var criteria = entries.GetValueOrDefault("criteria") is { } criteriaNode ? Criteria(criteriaNode, faults) : [];
        var guardrails = entries.GetValueOrDefault("guardrails") is { } guardrailsNode ? Guardrails(guardrailsNode) : DefaultGuardrails;

        return problems.Count > 0 || name is null || title is null || description is null || hypothesis is null
            ? new ExperimentFileResult(file, null, [.. problems.OrderBy(problem => problem.Line).ThenBy(problem => problem.Column)])
            : new ExperimentFileResult(file,
                new ExperimentDefinition(name, title, description, hypothesis, learning, load, phases, faults, steadyState, criteria, guardrails, file), []);
    }

    /// <summary>The design document's alert levels, for a file that names no guardrails: error rate above 5 %, P95 above 1 s.</summary>
    public static readonly IReadOnlyList<GuardrailDefinition> DefaultGuardrails =
        [new("error-rate", 0.05), new("p95", 1.0)];

    private static ExperimentFileResult Failed(string file, DefinitionProblem problem) => new(file, null, [problem]);

    private static string? Identifier(YamlCursor node, string what)
    {
        var value = node.Text(60);
        if (value is not null && (!IdentifierPattern().IsMatch(value) || ReservedNames.Contains(value)))
        {
            node.Problem($"found '{value}'; {what} name is lowercase letters, digits and single hyphens (e.g. redis-failure), up to 60 characters, and not {string.Join(", ", ReservedNames)}.");
            return null;
        }

        return value;
    }

    private static LearningNotes Learning(YamlCursor node)
    {
        var entries = node.Mapping(["watch", "teaches"]);
        var watch = new List<WatchNote>();
        foreach (var item in entries?.GetValueOrDefault("watch")?.Sequence("things to watch (where, what)") ?? [])
        {
            var note = item.Mapping(["where", "what"]);
            if (note is null)
            {
                continue;
            }

            var where = note.GetValueOrDefault("where")?.OneOf(WatchPlaces);
            var what = note.GetValueOrDefault("what")?.Text();
            MissingKeys(item, note, "where", "what");
            if (where is not null && what is not null)
            {
                watch.Add(new WatchNote(where, what));
            }
        }

        return new LearningNotes(watch, entries?.GetValueOrDefault("teaches")?.Text() ?? "");
    }

    private static LoadDefinition Load(YamlCursor node)
    {
        var entries = node.Mapping(["rate", "mix", "tags"]);
        var rate = entries?.GetValueOrDefault("rate")?.Number(0.1, Limits.MaxRatePerSecond, $"requests per second above 0 up to {Limits.MaxRatePerSecond}");
        var tags = (int?)entries?.GetValueOrDefault("tags")?.Integer(1, Limits.SeededTags);
        if (entries?.GetValueOrDefault("mix") is not { } mixNode)
        {
            return new LoadDefinition(rate, null, null, null, tags);
        }

        var mix = Mix(mixNode);
        return new LoadDefinition(rate, mix.VerifyPercent, mix.HistoryPercent, mix.ScanPercent, tags);
    }

    /// <summary>The shares of verifications, history reads and scans, in percent, adding up to 100.</summary>
    private static LoadDefinition Mix(YamlCursor node)
    {
        var mix = node.Mapping(Metrics.RequestKinds);
        int? Percent(string kind) => (int?)mix?.GetValueOrDefault(kind)?.Integer(0, 100) ?? 0;
        var (verify, history, scan) = (Percent("verify"), Percent("history"), Percent("scan"));
        if (mix is not null && verify + history + scan is { } sum && sum != 100)
        {
            node.Problem($"verify + history + scan is {verify} + {history} + {scan} = {sum}; the shares of the mix add up to 100.");
        }

        return new LoadDefinition(null, verify, history, scan);
    }

    private static PhaseDefinition Phases(YamlCursor node)
    {
        var entries = node.Mapping(["baseline", "impact", "recovery", "sustain"]);
        TimeSpan? Phase(string name) => entries?.GetValueOrDefault(name)?.Duration(Limits.MinPhase, Limits.MaxPhase);
        var phases = new PhaseDefinition(Phase("baseline"), Phase("impact"), Phase("recovery"), Phase("sustain"));
        var recovery = phases.Recovery ?? Limits.DefaultRecovery;
        if (phases.Sustain > recovery)
        {
            entries!["sustain"].Problem($"is {YamlCursor.Format(phases.Sustain.Value)}, longer than the recovery phase ({YamlCursor.Format(recovery)}); the steady state must be able to hold within it.");
        }

        return phases;
    }

    private static IReadOnlyList<FaultDefinition> Faults(YamlCursor node, PhaseDefinition phases, LoadDefinition load)
    {
        var faults = new List<(FaultDefinition Fault, YamlCursor Node)>();
        var items = node.Sequence("faults (kind, target, …)");
        if (items is { Count: 0 })
        {
            node.Problem($"is empty; an experiment injects at least one fault (kinds: {FaultKinds.Names}).");
        }

        foreach (var item in items ?? [])
        {
            var entries = item.Mapping(FaultKeys);
            if (entries is null || Fault(item, entries, phases.Impact ?? Limits.DefaultImpact) is not { } fault)
            {
                continue;
            }

            var kind = FaultKinds.Find(fault.Kind)!;
            var at = fault.At;
            var rate = load.RatePerSecond ?? Limits.DefaultRatePerSecond;
            if (kind.IsLoad && fault.Factor * rate > Limits.MaxRatePerSecond)
            {
                entries["factor"].Problem($"is {fault.Factor}, which asks {fault.Factor * rate:0.#} requests per second of the load generator (rate {rate}); allowed up to {Limits.MaxRatePerSecond}.");
            }

            if (kind.IsLoad && faults.Any(other => FaultKinds.Find(other.Fault.Kind)!.IsLoad))
            {
                item.Problem($"a second {kind.Name}; an experiment changes its load once.");
            }

            if (kind.IsLoad && at is not null)
            {
                entries["at"].Problem($"found '{(entries["at"].Node as YamlScalarNode)?.Value}'; a {kind.Name} changes the impact phase's load from its start: allowed: before-impact.");
            }

            if (kind.IsLoad && entries.TryGetValue("for", out var spikeFor))
            {
                spikeFor.Problem($"a {kind.Name} changes the whole impact phase's load; it takes no for.");
            }

            faults.Add((fault, item));
        }

        // A fault proxy holds one set of faults at a time: the faults on one proxy come and go together.
        foreach (var (fault, item) in faults.Where(pair => FaultKinds.Find(pair.Fault.Kind)!.IsNetwork))
        {
            var first = faults.First(pair => pair.Fault.Target == fault.Target && FaultKinds.Find(pair.Fault.Kind)!.IsNetwork);
            if (first.Fault != fault && (first.Fault.At != fault.At || first.Fault.For != fault.For))
            {
                item.Problem($"at {AtText(fault.At)}{ForText(fault.For)}, but faults[{faults.IndexOf(first)}] on {fault.Target} is at {AtText(first.Fault.At)}{ForText(first.Fault.For)}; the faults on one proxy are applied together: give them the same at and for.");
            }
        }

        return [.. faults.Select(pair => pair.Fault)];
    }

    private static readonly IReadOnlyList<string> FaultKeys =
        [.. FaultKinds.All.SelectMany(kind => kind.Parameters).Distinct().Prepend("for").Prepend("at").Prepend("target").Prepend("kind")];

    /// <summary>
    /// A lab fault a Chaos Toolkit file's <c>lab</c> provider injects, read as a fault of the lab's own files: its
    /// <c>fault</c> is the kind, its optional <c>duration</c> how long it lasts (null: until the run rolls it back).
    /// </summary>
    /// <param name="provider">The provider's mapping, <c>type</c> left out.</param>
    public static FaultDefinition? LabFault(YamlMappingNode provider, string file, string path, List<DefinitionProblem> problems)
    {
        var renamed = new YamlMappingNode();
        foreach (var (key, value) in provider.Children)
        {
            var name = (key as YamlScalarNode)?.Value;
            renamed.Add(name switch { "fault" => "kind", "duration" => "for", _ => key }, value);
        }

        var found = new List<DefinitionProblem>();
        var item = new YamlCursor(renamed, path, file, found);
        var entries = item.Mapping([.. FaultKeys.Where(key => key != "at")]);
        var fault = entries is null ? null : Fault(item, entries, Limits.MaxPhase);
        // Said in the provider's own words: fault and duration.
        problems.AddRange(found.Select(problem => problem with
        {
            Line = problem.Line == 0 ? (int)provider.Start.Line : problem.Line,
            Column = problem.Line == 0 ? (int)provider.Start.Column : problem.Column,
            Path = problem.Path == $"{path}.kind" ? $"{path}.fault" : problem.Path == $"{path}.for" ? $"{path}.duration" : problem.Path,
        }));
        return fault;
    }

    /// <summary>One fault's kind, target and parameters; null (and problems) when it cannot be read.</summary>
    private static FaultDefinition? Fault(YamlCursor item, IReadOnlyDictionary<string, YamlCursor> entries, TimeSpan impact)
    {
        MissingKeys(item, entries, "kind", "target");
        var kind = entries.GetValueOrDefault("kind") is { } kindNode ? FaultKinds.Find(kindNode.OneOf([.. FaultKinds.All.Select(k => k.Name)]) ?? "") : null;
        var target = entries.GetValueOrDefault("target") is { } targetNode ? Identifier(targetNode, "a target") : null;
        if (kind is null)
        {
            return null;
        }

        foreach (var (key, value) in entries.Where(pair => pair.Key is not ("kind" or "target" or "at" or "for") && !kind.Parameters.Contains(pair.Key)))
        {
            value.Problem($"is not a parameter of {kind.Name}; {kind.Name} takes: {(kind.Parameters.Count == 0 ? "no parameters" : string.Join(", ", kind.Parameters))}.");
        }

        foreach (var missing in kind.Required.Where(parameter => !entries.ContainsKey(parameter)))
        {
            item.Child(item.Node, missing).Problem($"is missing; {kind.Name} needs: {string.Join(", ", kind.Required)}.");
        }

        if (target is not null && kind.Targets is { } targets && !targets.Contains(target))
        {
            entries["target"].Problem($"found '{target}'; {kind.Name} acts on: {string.Join(", ", targets)}.");
        }

        var at = entries.GetValueOrDefault("at") is { } atNode ? At(atNode, impact) : null;
        var lasting = entries.GetValueOrDefault("for")?.Duration(TimeSpan.FromSeconds(1), Limits.MaxPhase);
        if (lasting is { } span && (at ?? TimeSpan.Zero) + span > impact)
        {
            entries["for"].Problem($"is {YamlCursor.Format(span)} from {AtText(at)}, which ends after the impact phase ({YamlCursor.Format(impact)}); allowed: up to {YamlCursor.Format(impact - (at ?? TimeSpan.Zero))}, or no for: the fault then lasts until the impact phase ends.");
        }

        var latency = entries.GetValueOrDefault("latency")?.Duration(TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(60));
        var jitter = entries.GetValueOrDefault("jitter")?.Duration(TimeSpan.Zero, TimeSpan.FromSeconds(60));
        if (latency is not null && jitter > latency)
        {
            entries["jitter"].Problem($"is {YamlCursor.Format(jitter.Value)}, more than the latency ({YamlCursor.Format(latency.Value)}); a delay cannot be negative.");
        }

        return new FaultDefinition(
            kind.Name,
            target ?? "",
            at,
            latency,
            jitter,
            entries.GetValueOrDefault("direction")?.OneOf(FaultKinds.Directions) ?? "both",
            entries.GetValueOrDefault("bytesPerSecond")?.Integer(1, 10_000_000_000),
            entries.GetValueOrDefault("share")?.Percentage(1, 100),
            entries.GetValueOrDefault("replicas") is { } replicasNode ? Replicas(replicasNode) : null,
            entries.GetValueOrDefault("factor")?.Number(1.1, 100, "a factor above 1 up to 100 (10 is ten times the rate)"),
            entries.GetValueOrDefault("mix") is { } spikeMix ? Mix(spikeMix) : null,
            entries.GetValueOrDefault("setting")?.OneOf(FaultKinds.RedeploySettings),
            lasting);
    }

    /// <summary>How many replicas a kill takes: a whole number from 1, or <c>all</c>.</summary>
    private static int? Replicas(YamlCursor node) =>
        node.Node is YamlScalarNode { Value: "all" } ? FaultDefinition.AllReplicas : (int?)node.Integer(1, 100);

    private static string ForText(TimeSpan? lasting) => lasting is { } span ? $" for {YamlCursor.Format(span)}" : "";

    private static string AtText(TimeSpan? at) => at is { } offset ? $"{YamlCursor.Format(offset)} into the impact phase" : "before-impact";

    private static TimeSpan? At(YamlCursor node, TimeSpan impact)
    {
        if (node.Node is YamlScalarNode { Value: "before-impact" })
        {
            return null;
        }

        if (YamlCursor.ParseDuration((node.Node as YamlScalarNode)?.Value) is { } offset && offset < impact)
        {
            return offset;
        }

        node.Problem($"found {((node.Node as YamlScalarNode)?.Value is { } text ? $"'{text}'" : "no text")}; allowed: before-impact, or an offset into the impact phase shorter than it ({YamlCursor.Format(impact)}), such as 2s.");
        return null;
    }

    private static SteadyStateDefinition SteadyState(YamlCursor node)
    {
        var entries = node.Mapping(["notServedFrom", "notShed"]);
        return new SteadyStateDefinition(
            entries?.GetValueOrDefault("notServedFrom")?.OneOf(ServedFrom),
            entries?.GetValueOrDefault("notShed")?.Boolean() ?? false);
    }

    /// <summary>A criterion's action items: short lines of text, at least one.</summary>
    private static IReadOnlyList<string> Actions(YamlCursor node)
    {
        var items = node.Sequence("a list of action items (text)") ?? [];
        if (items.Count == 0)
        {
            node.Problem("is empty; leave it out to use the metric's default action items.");
        }

        return [.. items.Select(item => item.Text(300)).OfType<string>()];
    }

    private static IReadOnlyList<CriterionDefinition> Criteria(YamlCursor node, IReadOnlyList<FaultDefinition> faults)
    {
        var criteria = new List<CriterionDefinition>();
        var items = node.Sequence("criteria (name, statement, metric, …)");
        if (items is { Count: 0 })
        {
            node.Problem("is empty; a hypothesis has at least one criterion.");
        }

        var names = new HashSet<string>();
        foreach (var item in items ?? [])
        {
            var entries = item.Mapping(["name", "statement", "metric", "phase", "comparison", "threshold", "kind", "statuses", "dependency", "share", "requests", "actions"]);
            if (entries is null)
            {
                continue;
            }

            MissingKeys(item, entries, "name", "statement", "metric", "comparison", "threshold");
            var name = entries.GetValueOrDefault("name") is { } nameNode ? Identifier(nameNode, "a criterion") : null;
            if (name is not null && !names.Add(name))
            {
                entries["name"].Problem($"'{name}' names another criterion already; criterion names are unique in an experiment.");
            }

            var statement = entries.GetValueOrDefault("statement")?.Text(300);
            var metric = entries.GetValueOrDefault("metric") is { } metricNode ? Metrics.Find(metricNode.OneOf([.. Metrics.All.Select(m => m.Name)]) ?? "") : null;
            var comparison = entries.GetValueOrDefault("comparison")?.OneOf(Comparisons) switch
            {
                "<" => Comparison.LessThan,
                "<=" => Comparison.AtMost,
                ">" => Comparison.GreaterThan,
                ">=" => (Comparison?)Comparison.AtLeast,
                _ => null,
            };
            if (metric is null)
            {
                continue;
            }

            foreach (var parameter in new[] { "kind", "statuses", "dependency", "share", "requests" }.Where(p => entries.ContainsKey(p) && !metric.Parameters.Contains(p)))
            {
                entries[parameter].Problem($"is not a parameter of the metric {metric.Name}; it takes: {(metric.Parameters.Count == 0 ? "no parameters" : string.Join(", ", metric.Parameters))}.");
            }

            foreach (var missing in metric.Required.Where(parameter => !entries.ContainsKey(parameter)))
            {
                item.Child(item.Node, missing).Problem($"is missing; the metric {metric.Name} needs: {string.Join(", ", metric.Required)}.");
            }

            if (metric.Name is "replica-back-by-itself" or "replica-restarted-by-itself" && !faults.Any(fault => fault.Kind == "kill"))
            {
                entries["metric"].Problem($"{metric.Name} is measured by a kill fault; this experiment has none.");
            }

            if (metric.Name == Metrics.RedeployedUnhealthy && !faults.Any(fault => fault.Kind == "redeploy"))
            {
                entries["metric"].Problem($"{metric.Name} is measured by a redeploy fault; this experiment has none.");
            }

            var requests = entries.GetValueOrDefault("requests")?.OneOf(Metrics.RequestScopes);
            if ((metric.Name == Metrics.AffectedShare || requests is "affected" or "unaffected") && !faults.Any(fault => FaultKinds.Find(fault.Kind)!.MarksRequests))
            {
                (entries.GetValueOrDefault("requests") ?? entries["metric"]).Problem(
                    $"{(requests is null ? metric.Name : $"requests: {requests}")} needs requests marked by a fault (call-error, call-latency, redeploy); this experiment has none.");
            }

            var phases = entries.GetValueOrDefault("phase") is { } phaseNode ? CriterionPhases(phaseNode, metric) : metric.DefaultPhase is { } phase ? [phase] : [];
            var threshold = entries.GetValueOrDefault("threshold") is { } thresholdNode ? Threshold(thresholdNode, metric.Unit) : null;
            var arguments = new MetricArguments(
                entries.GetValueOrDefault("kind")?.OneOf(Metrics.RequestKinds),
                entries.GetValueOrDefault("statuses") is { } statusesNode ? Statuses(statusesNode) : null,
                entries.GetValueOrDefault("dependency")?.OneOf(Metrics.Dependencies),
                entries.GetValueOrDefault("share")?.Percentage(0, 100),
                requests is "all" ? null : requests);
            if (name is not null && statement is not null && comparison is not null && threshold is not null)
            {
                criteria.Add(new CriterionDefinition(name, statement, metric.Name, phases, comparison.Value, threshold.Value, arguments,
                    entries.GetValueOrDefault("actions") is { } actionsNode ? Actions(actionsNode) : null));
            }
        }

        return criteria;
    }

    private static IReadOnlyList<string> CriterionPhases(YamlCursor node, Metric metric)
    {
        if (metric.Phases.Count == 0)
        {
            node.Problem($"the metric {metric.Name} spans the run and takes no phase.");
            return [];
        }

        if (node.Node is YamlSequenceNode && !metric.SumsPhases)
        {
            node.Problem($"found a list; the metric {metric.Name} is read in one phase: {string.Join(", ", metric.Phases)}.");
            return [];
        }

        var items = node.Node is YamlSequenceNode ? node.Sequence("phases") ?? [] : [node];
        return [.. items.Select(item => item.OneOf(metric.Phases)).OfType<string>().Distinct()];
    }

    private static IReadOnlyList<int>? Statuses(YamlCursor node)
    {
        var items = node.Node is YamlSequenceNode ? node.Sequence("HTTP statuses") ?? [] : [node];
        var statuses = items.Select(item => (int?)item.Integer(0, 599)).ToList();
        foreach (var (item, status) in items.Zip(statuses).Where(pair => pair.Second is > 0 and < 100))
        {
            item.Problem($"found '{status}'; allowed: 0 (no answer) or an HTTP status from 100 to 599.");
        }

        return statuses.All(status => status is 0 or >= 100) && statuses.Count > 0 ? [.. statuses.OfType<int>()] : null;
    }

    /// <summary>A threshold in the metric's unit: <c>10%</c>, <c>500ms</c>/<c>1s</c>, <c>5x</c>, or a count.</summary>
    private static double? Threshold(YamlCursor node, string unit) => unit switch
    {
        "%" => node.Percentage(0, 100),
        "s" => node.Duration(TimeSpan.Zero, TimeSpan.FromMinutes(10))?.TotalSeconds,
        "x" => Ratio(node),
        _ => node.Number(0, 1_000_000, "a count from 0 to 1000000"),
    };

    private static double? Ratio(YamlCursor node)
    {
        var text = (node.Node as YamlScalarNode)?.Value;
        if (text is not null && text.EndsWith('x')
            && double.TryParse(text[..^1], System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out var ratio)
            && double.IsFinite(ratio) && ratio >= 0 && ratio <= 1000)
        {
            return ratio;
        }

        node.Problem($"found {(text is null ? "no text" : $"'{text}'")}; allowed: a ratio from 0x to 1000x, written with its x (5x).");
        return null;
    }

    private static IReadOnlyList<GuardrailDefinition> Guardrails(YamlCursor node)
    {
        var guardrails = new List<GuardrailDefinition>();
        foreach (var item in node.Sequence("guardrails (metric, limit)") ?? [])
        {
            var entries = item.Mapping(["metric", "limit"]);
            if (entries is null)
            {
                continue;
            }

            MissingKeys(item, entries, "metric", "limit");
            var metric = entries.GetValueOrDefault("metric")?.OneOf(GuardrailMetrics);
            if (metric is not null && guardrails.Any(guardrail => guardrail.Metric == metric))
            {
                entries["metric"].Problem($"'{metric}' has a guardrail already; one per metric.");
            }

            var limit = metric is not null && entries.GetValueOrDefault("limit") is { } limitNode
                ? Threshold(limitNode, metric switch { "p95" or "p99" => "s", "db-pool-waiting" => "", _ => "%" })
                : null;
            if (metric is not null && limit is not null)
            {
                guardrails.Add(new GuardrailDefinition(metric, limit.Value));
            }
        }

        return guardrails;
    }

    private static void MissingKeys(YamlCursor item, IReadOnlyDictionary<string, YamlCursor> entries, params string[] required)
    {
        foreach (var key in required.Where(key => !entries.ContainsKey(key)))
        {
            item.Child(item.Node, key).Problem($"is missing; required: {string.Join(", ", required)}.");
        }
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex IdentifierPattern();
}
