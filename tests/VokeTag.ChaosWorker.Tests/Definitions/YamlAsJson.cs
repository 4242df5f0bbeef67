using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace VokeTag.ChaosWorker.Tests.Definitions;

/// <summary>
/// A YAML document as the JSON a schema validator sees, typed as YAML 1.2's core schema types plain scalars (what
/// editors do): <c>5</c> a number, <c>true</c> a boolean, <c>"5"</c> and <c>10%</c> texts.
/// </summary>
public static class YamlAsJson
{
    /// <returns>Null when the text is not one YAML document.</returns>
    public static System.Text.Json.JsonElement? Convert(string yaml)
    {
        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
            return stream.Documents.Count == 1 ? System.Text.Json.JsonSerializer.SerializeToElement(Node(stream.Documents[0].RootNode)) : null;
        }
        catch (YamlException)
        {
            return null;
        }
    }

    private static JsonNode? Node(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(pair =>
            KeyValuePair.Create(((YamlScalarNode)pair.Key).Value!, Node(pair.Value)))),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(Node)]),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => Plain(scalar.Value),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new NotSupportedException(node.GetType().Name),
    };

    private static JsonNode? Plain(string? value) => value switch
    {
        null or "" or "~" or "null" => null,
        "true" => JsonValue.Create(true),
        "false" => JsonValue.Create(false),
        _ when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer) => JsonValue.Create(integer),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
        _ => JsonValue.Create(value),
    };
}
