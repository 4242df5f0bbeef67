using System.Numerics;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// chaoslib's <c>convert_to_type</c>: the <c>env_var_type</c> of an environment configuration value, applied to the
/// variable's text or, when it is unset, to the <c>default</c> (which may be any JSON value).
/// </summary>
internal static class EnvVarType
{
    public static JsonNode? Convert(JsonNode? type, JsonNode? value, string key)
    {
        var name = PythonValues.TypeOf(type) == PythonType.Str ? PythonValues.StringOf(type) : null;
        return (type, name) switch
        {
            (null, _) or (_, "str" or "string") => value,
            (_, "int" or "integer") => ToInt(value, key),
            (_, "float" or "number") => ToFloat(value, key),
            (_, "bool") => ToBool(value, key),
            (_, "json") => ToJson(value, key),
            (_, "bytes") => throw new ToolkitException(
                $"env_var_type 'bytes' is not supported here: configuration '{key}' would be Python bytes, which JSON values cannot hold"),
            _ => throw new ToolkitException(
                $"chaoslib raises ValueError here: variable type can only be: bool, str, int, float, bytes or json (configuration '{key}' has env_var_type {PythonText.Repr(type)})"),
        };
    }

    private static JsonNode ToInt(JsonNode? value, string key)
    {
        switch (PythonValues.TypeOf(value))
        {
            case PythonType.Str:
                var text = PythonValues.StringOf(value);
                if (!PythonNumerals.TryParseInt(text, out var integer))
                {
                    throw Crash("ValueError", $"invalid literal for int() with base 10: {PythonText.StringRepr(text)}", key);
                }

                return Fits(integer, key);
            case PythonType.Bool or PythonType.Int:
                return JsonValue.Create(ExactLong(value));
            case PythonType.Float:
                var number = PythonValues.DoubleOf((JsonValue)value!);
                if (!double.IsFinite(number))
                {
                    throw Crash(double.IsNaN(number) ? "ValueError" : "OverflowError", $"cannot convert float {PythonText.FloatRepr(number)} to integer", key);
                }

                return Fits(new BigInteger(Math.Truncate(number)), key);
            default:
                throw Crash("TypeError", $"int() argument must be a string, a bytes-like object or a real number, not '{PythonValues.TypeName(value)}'", key);
        }
    }

    private static JsonNode ToFloat(JsonNode? value, string key)
    {
        switch (PythonValues.TypeOf(value))
        {
            case PythonType.Str:
                var text = PythonValues.StringOf(value);
                return PythonNumerals.TryParseFloat(text, out var number)
                    ? JsonValue.Create(number)
                    : throw Crash("ValueError", $"could not convert string to float: {PythonText.StringRepr(text)}", key);
            case PythonType.Bool or PythonType.Int:
                return JsonValue.Create((double)ExactLong(value));
            case PythonType.Float:
                return JsonValue.Create(PythonValues.DoubleOf((JsonValue)value!));
            default:
                throw Crash("TypeError", $"float() argument must be a string or a real number, not '{PythonValues.TypeName(value)}'", key);
        }
    }

    /// <summary>Only "false", "0" and "no" (any case) are false; a bool default passes through.</summary>
    private static JsonNode ToBool(JsonNode? value, string key) => PythonValues.TypeOf(value) switch
    {
        PythonType.Bool => value!.DeepClone(),
        PythonType.Str => JsonValue.Create(PythonValues.StringOf(value).ToLowerInvariant() is not ("false" or "0" or "no")),
        _ => throw Crash("AttributeError", $"'{PythonValues.TypeName(value)}' object has no attribute 'lower'", key),
    };

    /// <summary>"" and None pass through; other text is parsed; any other default passes through.</summary>
    private static JsonNode? ToJson(JsonNode? value, string key)
    {
        if (PythonValues.TypeOf(value) != PythonType.Str || PythonValues.StringOf(value).Length == 0)
        {
            return value;
        }

        return PythonJson.TryLoads(PythonValues.StringOf(value), out var parsed)
            ? parsed
            : throw Crash("json.JSONDecodeError", "the text is not JSON", key);
    }

    private static long ExactLong(JsonNode? value) =>
        PythonValues.TypeOf(value) == PythonType.Bool
            ? (PythonValues.BoolOf(value) ? 1 : 0)
            : PythonValues.TryGetInteger((JsonValue)value!, out var integer) ? integer : 0;

    /// <summary>Python's ints have no bound; the JSON data here holds longs.</summary>
    private static JsonValue Fits(BigInteger integer, string key) =>
        integer >= long.MinValue && integer <= long.MaxValue
            ? JsonValue.Create((long)integer)
            : throw new ToolkitException($"configuration '{key}' is {integer}, which does not fit in a 64-bit integer here");

    private static ToolkitException Crash(string error, string message, string key) =>
        new($"chaoslib raises {error} here: {message} (configuration '{key}')");
}
