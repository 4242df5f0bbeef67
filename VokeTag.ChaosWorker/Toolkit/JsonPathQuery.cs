using System.Text.Json.Nodes;
using Newtonsoft.Json.Linq;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// The values a JSONPath selects from a JSON value (Newtonsoft's JSONPath, standing in for chaoslib's jsonpath2), in
/// document order, as JSON values again so they compare with Python's ==.
/// </summary>
internal static class JsonPathQuery
{
    /// <exception cref="ToolkitException">The path does not parse (jsonpath2 raises ValueError).</exception>
    public static IReadOnlyList<JsonNode?> Select(string path, JsonNode? document)
    {
        try
        {
            return [.. ToToken(document).SelectTokens(path).Select(ToNode)];
        }
        catch (Newtonsoft.Json.JsonException invalid)
        {
            throw new ToolkitException($"chaoslib raises ValueError here: the JSON path {path} does not parse ({invalid.Message})");
        }
    }

    // Built by hand rather than parsed, so strings that look like dates stay strings.
    private static JToken ToToken(JsonNode? node) => PythonValues.TypeOf(node) switch
    {
        PythonType.None => JValue.CreateNull(),
        PythonType.Bool => new JValue(PythonValues.BoolOf(node)),
        PythonType.Int when PythonValues.TryGetInteger((JsonValue)node!, out var integer) => new JValue(integer),
        PythonType.Float => new JValue(PythonValues.DoubleOf((JsonValue)node!)),
        PythonType.Str => new JValue(PythonValues.StringOf(node)),
        PythonType.List => new JArray(((JsonArray)node!).Select(ToToken)),
        _ => new JObject(((JsonObject)node!).Select(entry => new JProperty(entry.Key, ToToken(entry.Value)))),
    };

    private static JsonNode? ToNode(JToken token) => token switch
    {
        JObject mapping => new JsonObject(mapping.Properties().Select(property => KeyValuePair.Create(property.Name, ToNode(property.Value)))),
        JArray list => new JsonArray([.. list.Select(ToNode)]),
        JValue { Type: JTokenType.Boolean, Value: bool flag } => JsonValue.Create(flag),
        JValue { Type: JTokenType.Integer, Value: long integer } => JsonValue.Create(integer),
        JValue { Type: JTokenType.Float, Value: double number } => JsonValue.Create(number),
        JValue { Type: JTokenType.String, Value: string text } => JsonValue.Create(text),
        _ => null,
    };
}
