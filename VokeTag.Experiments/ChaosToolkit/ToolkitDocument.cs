using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// A Chaos Toolkit file as data: JSON values (as Python's <c>json</c> / <c>yaml.safe_load</c> would give chaoslib) in the
/// file's key order, and where in the file each value was, so a problem can name its line.
/// </summary>
public sealed partial class ToolkitDocument
{
    private readonly Dictionary<JsonNode, Mark> _marks = new(ReferenceEqualityComparer.Instance);

    // Where each key of a mapping was: a key whose value is null (YAML `pauses:` with nothing under it) has no mark of its own.
    private readonly Dictionary<JsonObject, Dictionary<string, Mark>> _keyMarks = new(ReferenceEqualityComparer.Instance);

    public JsonNode? Root { get; private set; }

    /// <summary>Line and column of a value of this document (1, 1 for values it did not read, or null).</summary>
    public (int Line, int Column) Where(JsonNode? node) =>
        node is not null && _marks.TryGetValue(node, out var mark) ? (mark.Line, mark.Column) : (1, 1);

    /// <summary>Line and column of a key of a mapping of this document (1, 1 when it has no such key).</summary>
    public (int Line, int Column) WhereKey(JsonObject mapping, string key) =>
        _keyMarks.TryGetValue(mapping, out var keys) && keys.TryGetValue(key, out var mark) ? (mark.Line, mark.Column) : (1, 1);

    public static ToolkitDocument Parse(YamlNode root)
    {
        var document = new ToolkitDocument();
        document.Root = document.Convert(root);
        return document;
    }

    private JsonNode? Convert(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode mapping => Mapping(mapping),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Convert)]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => null,
        };
        if (value is not null)
        {
            _marks[value] = new Mark((int)node.Start.Line, (int)node.Start.Column);
        }

        return value;
    }

    private JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        var keys = _keyMarks[result] = [];
        foreach (var (key, value) in mapping.Children)
        {
            // A repeated key: the last one wins, as in Python's json and yaml.
            var name = (key as YamlScalarNode)?.Value ?? key.ToString();
            result[name] = Convert(value);
            keys[name] = new Mark((int)key.Start.Line, (int)key.Start.Column);
        }

        return result;
    }

    /// <summary>
    /// A scalar as YAML 1.1's resolver in PyYAML types it (JSON's own scalars are a subset): quoted is text; plain is
    /// null, a boolean, an integer or a float when it reads as one, else text.
    /// </summary>
    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any))
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE" or "yes" or "Yes" or "YES" or "on" or "On" or "ON")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE" or "no" or "No" or "NO" or "off" or "Off" or "OFF")
        {
            return JsonValue.Create(false);
        }

        if (IntegerPattern().IsMatch(text) && long.TryParse(text.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (FloatPattern().IsMatch(text) && double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            return JsonValue.Create(number);
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")]
    private static partial Regex FloatPattern();

    private readonly record struct Mark(int Line, int Column);
}
