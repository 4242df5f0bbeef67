using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// Python's <c>json.loads</c> over text: integers become longs, other numbers doubles (1.0 stays a float), and a
/// repeated key keeps its first place with the last value. NaN and Infinity literals, which Python also reads, are
/// not read here.
/// </summary>
internal static class PythonJson
{
    /// <summary>Python's default limit is its recursion depth (about 1000), far above System.Text.Json's 64.</summary>
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 1000 };

    public static bool TryLoads(string text, out JsonNode? value)
    {
        try
        {
            using var document = JsonDocument.Parse(text, Options);
            value = Convert(document.RootElement);
            return true;
        }
        catch (Exception failure) when (failure is JsonException or InvalidOperationException)
        {
            value = null;
            return false;
        }
    }

    private static JsonNode? Convert(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var mapping = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    mapping[property.Name] = Convert(property.Value);
                }

                return mapping;
            case JsonValueKind.Array:
                return new JsonArray([.. element.EnumerateArray().Select(Convert)]);
            case JsonValueKind.String:
                return JsonValue.Create(element.GetString());
            case JsonValueKind.Number:
                var raw = element.GetRawText();
                return raw.IndexOfAny(['.', 'e', 'E']) < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer)
                    ? JsonValue.Create(integer)
                    : JsonValue.Create(double.Parse(raw, CultureInfo.InvariantCulture));
            case JsonValueKind.True:
                return JsonValue.Create(true);
            case JsonValueKind.False:
                return JsonValue.Create(false);
            default:
                return null;
        }
    }
}
