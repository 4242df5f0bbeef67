using System.Text.Json;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>The Python type a JSON value has in chaoslib; it picks the tolerance rule and the comparison.</summary>
internal enum PythonType { None, Bool, Int, Float, Str, List, Dict }

/// <summary>
/// Python's view of JSON values: type, <c>==</c>, <c>&lt;=</c> and truthiness, so that rules compare as chaoslib does
/// (1 == 1.0 == True, "1" != 1). Values may come from JSON text (JsonElement inside) or be built from longs, doubles,
/// bools and strings; both read the same.
/// </summary>
internal static class PythonValues
{
    public static PythonType TypeOf(JsonNode? node) => node switch
    {
        null => PythonType.None,
        JsonObject => PythonType.Dict,
        JsonArray => PythonType.List,
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => PythonType.Str,
            JsonValueKind.True or JsonValueKind.False => PythonType.Bool,
            JsonValueKind.Number => TryGetInteger(value, out _) ? PythonType.Int : PythonType.Float,
            _ => PythonType.None,
        },
        _ => PythonType.None,
    };

    public static bool IsNumber(PythonType type) => type is PythonType.Bool or PythonType.Int or PythonType.Float;

    /// <summary>Python's <c>type(x).__name__</c>, for messages that name what chaoslib would have choked on.</summary>
    public static string TypeName(JsonNode? node) => TypeOf(node) switch
    {
        PythonType.None => "NoneType",
        PythonType.Bool => "bool",
        PythonType.Int => "int",
        PythonType.Float => "float",
        PythonType.Str => "str",
        PythonType.List => "list",
        _ => "dict",
    };

    public static string StringOf(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : node?.GetValue<object>().ToString() ?? "";

    public static bool BoolOf(JsonNode? node) => node!.GetValueKind() == JsonValueKind.True;

    /// <summary>An int of the JSON data: written without fraction or exponent, as Python's json reads it.</summary>
    public static bool TryGetInteger(JsonValue value, out long integer)
    {
        integer = 0;
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return element.ValueKind == JsonValueKind.Number && element.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0
                && element.TryGetInt64(out integer);
        }

        if (value.TryGetValue(out long wide)) { integer = wide; return true; }
        if (value.TryGetValue(out int normal)) { integer = normal; return true; }
        if (value.TryGetValue(out short small)) { integer = small; return true; }
        if (value.TryGetValue(out byte tiny)) { integer = tiny; return true; }
        if (value.TryGetValue(out uint unsigned)) { integer = unsigned; return true; }
        return false;
    }

    /// <summary>An int or a float (not a bool) as a double; null for anything else.</summary>
    public static double? NumberOf(JsonNode? node) =>
        node is JsonValue value && TypeOf(value) is PythonType.Int or PythonType.Float ? DoubleOf(value) : null;

    public static double DoubleOf(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return double.Parse(element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue(out double number)) { return number; }
        if (value.TryGetValue(out float single)) { return single; }
        if (value.TryGetValue(out decimal exact)) { return (double)exact; }
        return TryGetInteger(value, out var integer) ? integer : double.NaN;
    }

    /// <summary>Python's truthiness: None, False, 0, 0.0, "", [] and {} are false.</summary>
    public static bool IsTruthy(JsonNode? node) => TypeOf(node) switch
    {
        PythonType.None => false,
        PythonType.Bool => BoolOf(node),
        PythonType.Int or PythonType.Float => ExactNumber.Of(node).Sign != 0,
        PythonType.Str => StringOf(node).Length > 0,
        PythonType.List => ((JsonArray)node!).Count > 0,
        _ => ((JsonObject)node!).Count > 0,
    };

    /// <summary>Python's <c>a == b</c>: numbers by value across bool/int/float, containers element by element.</summary>
    public static bool Equal(JsonNode? left, JsonNode? right)
    {
        var (leftType, rightType) = (TypeOf(left), TypeOf(right));
        if (IsNumber(leftType) && IsNumber(rightType))
        {
            return ExactNumber.Compare(ExactNumber.Of(left), ExactNumber.Of(right)) == 0;
        }

        if (leftType != rightType)
        {
            return false;
        }

        return leftType switch
        {
            PythonType.None => true,
            PythonType.Str => string.Equals(StringOf(left), StringOf(right), StringComparison.Ordinal),
            PythonType.List => SequenceEqual((JsonArray)left!, (JsonArray)right!),
            _ => MappingEqual((JsonObject)left!, (JsonObject)right!),
        };
    }

    public static bool SequenceEqual(IEnumerable<JsonNode?> left, IEnumerable<JsonNode?> right)
    {
        var (leftItems, rightItems) = (left.ToList(), right.ToList());
        return leftItems.Count == rightItems.Count && leftItems.Zip(rightItems).All(pair => Equal(pair.First, pair.Second));
    }

    /// <summary>Python's <c>x in list</c>.</summary>
    public static bool Contains(JsonArray list, JsonNode? item) => list.Any(element => Equal(element, item));

    /// <summary>
    /// Python's <c>a &lt;= b</c>, or null where Python raises TypeError (None, dicts, a number against a string...).
    /// Strings compare by code point, lists lexicographically.
    /// </summary>
    public static bool? LessOrEqual(JsonNode? left, JsonNode? right)
    {
        var (leftType, rightType) = (TypeOf(left), TypeOf(right));
        if (IsNumber(leftType) && IsNumber(rightType))
        {
            // NaN is unordered: every comparison with it is False.
            return ExactNumber.Compare(ExactNumber.Of(left), ExactNumber.Of(right)) is int order && order <= 0;
        }

        if (leftType != rightType)
        {
            return null;
        }

        return leftType switch
        {
            PythonType.Str => CompareCodePoints(StringOf(left), StringOf(right)) <= 0,
            PythonType.List => ListLessOrEqual((JsonArray)left!, (JsonArray)right!),
            _ => null,
        };
    }

    private static bool? ListLessOrEqual(JsonArray left, JsonArray right)
    {
        for (var i = 0; i < Math.Min(left.Count, right.Count); i++)
        {
            if (!Equal(left[i], right[i]))
            {
                return LessOrEqual(left[i], right[i]);
            }
        }

        return left.Count <= right.Count;
    }

    private static bool MappingEqual(JsonObject left, JsonObject right) =>
        left.Count == right.Count
        && left.All(entry => right.TryGetPropertyValue(entry.Key, out var other) && Equal(entry.Value, other));

    /// <summary>UTF-16 order with surrogates moved above U+FFFF's neighbours, which is code point order.</summary>
    private static int CompareCodePoints(string left, string right)
    {
        for (var i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            if (left[i] != right[i])
            {
                return CodePointRank(left[i]).CompareTo(CodePointRank(right[i]));
            }
        }

        return left.Length.CompareTo(right.Length);
    }

    private static int CodePointRank(char c) => c >= 0xE000 ? c - 0x800 : c >= 0xD800 ? c + 0x2000 : c;
}
