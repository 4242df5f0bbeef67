using System.Text;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// chaoslib's <c>substitute</c>: <c>${name}</c> and <c>$name</c> in strings are replaced by configuration values, then
/// by secrets (each scope in declaration order; configuration wins). It follows Python's
/// <c>string.Template.safe_substitute</c>, except that a string that is exactly <c>${name}</c> becomes the value itself
/// with its type (a number stays a number).
/// </summary>
public sealed class Substitution(JsonObject configuration, JsonObject secrets)
{
    /// <summary>
    /// A substituted deep copy: string values are substituted, in mappings and lists at any depth; mapping keys and
    /// other values stay as they are. The input is not changed.
    /// </summary>
    public JsonNode? Apply(JsonNode? data) => data switch
    {
        JsonObject mapping => new JsonObject(mapping.Select(entry => KeyValuePair.Create(entry.Key, Apply(entry.Value)))),
        JsonArray sequence => new JsonArray([.. sequence.Select(Apply)]),
        JsonValue when PythonValues.TypeOf(data) == PythonType.Str => ApplyToString(PythonValues.StringOf(data)),
        _ => data?.DeepClone(),
    };

    /// <summary>The text with every known name replaced by Python's <c>str()</c> of its value.</summary>
    public string ApplyToText(string text)
    {
        var result = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var consumed = Placeholder(text, i, out var name, out var escaped);
            if (consumed == 0)
            {
                result.Append(text[i]);
                i++;
            }
            else
            {
                result.Append(escaped ? "$" : name is not null && TryLookup(name, out var value) ? PythonText.Format(value) : text.Substring(i, consumed));
                i += consumed;
            }
        }

        return result.ToString();
    }

    private JsonNode? ApplyToString(string text)
    {
        string? name = null;
        var whole = text.Length > 0 && Placeholder(text, 0, out name, out _) == text.Length;
        // chaoslib's TypedTemplate looks up the braced name of a whole-string match; for $$, $ and $name that name is
        // None, which no mapping has, so those fall through to text (but the lookup still visits every scope).
        if (whole && TryLookup(IsBraced(text) ? name : null, out var typed))
        {
            return typed?.DeepClone();
        }

        return JsonValue.Create(ApplyToText(text));
    }

    private static bool IsBraced(string text) => text.Length > 1 && text[1] == '{';

    /// <summary>
    /// The length of the template form at <paramref name="start"/>, or 0 if there is none: <c>$$</c> (escaped),
    /// <c>$name</c>, <c>${name}</c>, or a lone <c>$</c> of an invalid form (length 1, name null), which stays as is.
    /// </summary>
    private static int Placeholder(string text, int start, out string? name, out bool escaped)
    {
        (name, escaped) = (null, false);
        if (text[start] != '$')
        {
            return 0;
        }

        var next = start + 1;
        if (next < text.Length && text[next] == '$')
        {
            escaped = true;
            return 2;
        }

        var end = IdentifierEnd(text, next);
        if (end > next)
        {
            name = text[next..end];
            return end - start;
        }

        if (next < text.Length && text[next] == '{')
        {
            end = IdentifierEnd(text, next + 1);
            if (end > next + 1 && end < text.Length && text[end] == '}')
            {
                name = text[(next + 1)..end];
                return end + 1 - start;
            }
        }

        return 1;
    }

    /// <summary>Python identifiers as string.Template reads them: ASCII only, <c>[_a-zA-Z][_a-zA-Z0-9]*</c>.</summary>
    private static int IdentifierEnd(string text, int start)
    {
        if (start >= text.Length || !(char.IsAsciiLetter(text[start]) || text[start] == '_'))
        {
            return start;
        }

        var end = start + 1;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
        {
            end++;
        }

        return end;
    }

    /// <summary>
    /// A ChainMap lookup over the configuration and each secret scope. A scope that is not a mapping makes Python's
    /// lookup raise TypeError once it is reached, so it throws here too.
    /// </summary>
    private bool TryLookup(string? name, out JsonNode? value)
    {
        value = null;
        if (name is not null && configuration.TryGetPropertyValue(name, out value))
        {
            return true;
        }

        foreach (var (scope, mapping) in secrets)
        {
            if (mapping is not JsonObject scopeValues)
            {
                throw new ToolkitException(
                    $"chaoslib raises TypeError here: the secret scope '{scope}' is {PythonValues.TypeName(mapping)}, not a mapping, so looking up '{name}' fails");
            }

            if (name is not null && scopeValues.TryGetPropertyValue(name, out value))
            {
                return true;
            }
        }

        return false;
    }
}
