using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// A value of a Chaos Toolkit file with its path (<c>method[2].provider.url</c>) and place, for the validation rules:
/// they record problems (the file cannot run) and warnings (it runs, where chaoslib would have said nothing) and go on,
/// so one pass finds everything. Values are read as chaoslib reads its dicts, Python truthiness included.
/// </summary>
internal sealed class ToolkitCursor
{
    private readonly Findings _findings;
    private readonly (int Line, int Column) _where;

    private ToolkitCursor(JsonNode? node, string path, (int Line, int Column) where, Findings findings)
    {
        Node = node;
        Path = path;
        _where = where;
        _findings = findings;
    }

    public JsonNode? Node { get; }

    public string Path { get; }

    public static ToolkitCursor Root(ToolkitDocument document, Findings findings) =>
        new(document.Root, "", document.Where(document.Root), findings);

    /// <summary>The value of a key (a null cursor, placed where the key or its mapping is, when there is none).</summary>
    public ToolkitCursor this[string key]
    {
        get
        {
            var value = (Node as JsonObject)?[key];
            var where = value is not null ? _findings.Document.Where(value)
                : Node is JsonObject mapping && mapping.ContainsKey(key) ? _findings.Document.WhereKey(mapping, key)
                : _where;
            return new ToolkitCursor(value, Path.Length == 0 ? key : $"{Path}.{key}", where, _findings);
        }
    }

    /// <summary>A key itself, for what is wrong with the key rather than its value (unknown, misplaced).</summary>
    public ToolkitCursor Key(string key) =>
        new(null, this[key].Path, Node is JsonObject mapping ? _findings.Document.WhereKey(mapping, key) : _where, _findings);

    public bool Has(string key) => Node is JsonObject mapping && mapping.ContainsKey(key);

    /// <summary>The keys of a mapping, in the file's order (none for anything else).</summary>
    public IReadOnlyList<string> Keys => Node is JsonObject mapping ? [.. mapping.Select(pair => pair.Key)] : [];

    public IEnumerable<ToolkitCursor> Items => Node is JsonArray list
        ? list.Select((item, index) => new ToolkitCursor(item, $"{Path}[{index}]", item is null ? _where : _findings.Document.Where(item), _findings))
        : [];

    public bool IsMapping => Node is JsonObject;

    public bool IsList => Node is JsonArray;

    public string? Text => Node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public bool IsBoolean => Node?.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

    /// <summary>An integer or a float (not a boolean, though Python counts it as one).</summary>
    public double? Number => Node is JsonValue value
        ? value.TryGetValue<long>(out var integer) ? integer : value.TryGetValue<double>(out var number) ? number : null
        : null;

    public bool IsInteger => Node is JsonValue value && value.TryGetValue<long>(out _);

    public bool IsFloat => Node is JsonValue value && value.TryGetValue<double>(out _);

    /// <summary>Python's falsiness: None, "", 0, False, [] and {}.</summary>
    public bool IsFalsy => Node switch
    {
        null => true,
        JsonObject mapping => mapping.Count == 0,
        JsonArray list => list.Count == 0,
        _ => Node.GetValueKind() is JsonValueKind.False || Text is "" || Number is 0,
    };

    /// <summary>What was found, for messages: <c>nothing</c>, <c>a mapping</c>, <c>a list</c>, <c>'text'</c>, <c>1.5</c>, <c>true</c>.</summary>
    public string Found => Node switch
    {
        null => "nothing",
        JsonObject => "a mapping",
        JsonArray => "a list",
        _ when Text is { } text => $"'{text}'",
        _ when IsBoolean => IsFalsy ? "false" : "true",
        _ => Number?.ToString(CultureInfo.InvariantCulture) ?? Node.ToJsonString(),
    };

    /// <summary>The value as chaoslib would print it in a message: text as is, anything else as JSON.</summary>
    public string Shown => Text ?? (Node is null ? "None" : Node.ToJsonString());

    public void Problem(string message) => _findings.Problems.Add(Finding(message));

    /// <summary>The file, for readers this one hands a part of it to.</summary>
    public string File => _findings.File;

    /// <summary>A problem another reader found under this node, placed where its key is in the file.</summary>
    public void Add(DefinitionProblem problem)
    {
        var key = problem.Path.StartsWith(Path + ".", StringComparison.Ordinal) ? problem.Path[(Path.Length + 1)..] : null;
        (key is null || key.Contains('.') ? this : this[key]).Problem(problem.Message);
    }

    public void Warning(string message) => _findings.Warnings.Add(Finding(message));

    /// <summary>
    /// A warning for each key outside <paramref name="known"/> (with the near miss, if any): chaoslib ignores such keys
    /// without a word, which is how a misspelt key silently turns a check off.
    /// </summary>
    /// <param name="hints">What a known misplacement means, by key (e.g. <c>arguments</c> beside a provider).</param>
    public void UnknownKeys(IReadOnlyList<string> known, string what, IReadOnlyDictionary<string, string>? hints = null)
    {
        foreach (var key in Keys.Where(key => !known.Contains(key)))
        {
            var hint = hints?.GetValueOrDefault(key) ?? $"chaoslib ignores it, and so does the lab; {what} keys: {string.Join(", ", known)}";
            Key(key).Warning($"unknown key '{key}'{Suggestion(key, known)}; {hint}.");
        }
    }

    /// <summary>" (did you mean 'x'?)" for a near miss: within two edits, or the same letters (<c>steady_state_hypothesis</c>).</summary>
    public static string Suggestion(string found, IReadOnlyList<string> known)
    {
        static string Letters(string word) => new([.. word.ToLowerInvariant().Where(char.IsLetterOrDigit)]);
        return known.FirstOrDefault(word => Letters(word) == Letters(found) && Letters(found).Length > 0) is { } same
            ? $" (did you mean '{same}'?)"
            : YamlCursor.Suggestion(found, known);
    }

    private DefinitionProblem Finding(string message) => new(_findings.File, _where.Line, _where.Column, Path, message);
}

/// <summary>What the validation of one file found: problems (it cannot run) and warnings (it can).</summary>
internal sealed class Findings(string file, ToolkitDocument document)
{
    public string File { get; } = file;

    public ToolkitDocument Document { get; } = document;

    public List<DefinitionProblem> Problems { get; } = [];

    public List<DefinitionProblem> Warnings { get; } = [];
}
