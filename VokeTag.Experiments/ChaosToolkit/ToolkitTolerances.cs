using System.Text.RegularExpressions;

namespace VokeTag.Experiments.ChaosToolkit;

/// <summary>
/// chaoslib's tolerance rules for hypothesis probes (<c>ensure_hypothesis_tolerance_is_valid</c>), with its messages: a
/// boolean, an integer, a text, a list, or a mapping of type probe, regex, jsonpath or range. Not a float: chaoslib
/// refuses one.
/// </summary>
internal static class ToolkitTolerances
{
    private const string Kinds =
        "hypothesis probe tolerance must either be an integer, a string, a boolean or a pair of values for boundaries. It can also be a dictionary which is a probe activity definition that takes an argument called `value` with the value of the probe itself to be validated";

    private static readonly string[] Types = ["probe", "regex", "jsonpath", "range"];

    /// <summary>The tolerance of a hypothesis probe (or of a ref in the hypothesis: its own, not the referenced probe's).</summary>
    public static void CheckOf(ToolkitCursor probe, ActivityScope scope)
    {
        if (!probe.Has("tolerance"))
        {
            var hint = probe["provider"].Has("tolerance") ? ": it is inside provider; move it up, beside provider"
                : probe.Has("expected_status") || probe["provider"].Has("expected_status") ? ": expected_status is a legacy (2017) key that chaoslib ignores; write tolerance: <status>"
                : ", such as tolerance: 200 or tolerance: true";
            probe.Problem($"hypothesis probe must have a tolerance entry{hint}.");
            return;
        }

        var tolerance = probe["tolerance"];
        var provider = probe["provider"]["type"].Text;
        if (tolerance.IsBoolean && provider is "http" or "process")
        {
            tolerance.Warning($"a {tolerance.Found} tolerance never matches the output of a {provider} probe (a mapping with its status); compare the status with an integer, such as tolerance: {(provider == "http" ? 200 : 0)}.");
        }
        else if (tolerance.Text is { } text && long.TryParse(text, out _) && provider is "http" or "process")
        {
            tolerance.Warning($"the tolerance '{text}' is a text, and a text is compared with the whole output, never with the status; write tolerance: {text}, without quotes.");
        }
        else if (tolerance.IsMapping)
        {
            Mapping(tolerance, scope);
        }
        else if (tolerance.Node is null || tolerance.IsFloat)
        {
            tolerance.Problem($"{Kinds}; found {tolerance.Found}{(tolerance.IsFloat ? " (for a number between two bounds, use {type: range, range: [lower, upper]})" : "")}.");
        }
    }

    private static void Mapping(ToolkitCursor tolerance, ActivityScope scope)
    {
        var type = tolerance["type"];
        switch (type.Text)
        {
            case "probe":
                if (ToolkitActivities.Check(tolerance, ActivityPlace.Tolerance, scope) && !tolerance["provider"]["arguments"].IsMapping)
                {
                    tolerance["provider"]["arguments"].Problem("a probe tolerance's provider needs an arguments mapping: chaoslib passes it the probe's output as arguments.value (and crashes without one).");
                }

                if (tolerance["provider"]["type"].Text is "http" or "process")
                {
                    tolerance.Warning($"a probe tolerance with a {tolerance["provider"]["type"].Text} provider always passes: its output is a mapping, and chaoslib counts any mapping as true.");
                }

                break;
            case "regex":
                RegexTolerance(tolerance);
                break;
            case "jsonpath":
                JsonPathTolerance(tolerance);
                break;
            case "range":
                RangeTolerance(tolerance);
                break;
            default:
                (tolerance.Has("type") ? type : tolerance).Problem($"hypothesis probe tolerance type '{type.Shown}' is unsupported; allowed: {string.Join(", ", Types)}.");
                break;
        }
    }

    private static void RegexTolerance(ToolkitCursor tolerance)
    {
        var pattern = tolerance["pattern"];
        if (!tolerance.Has("pattern"))
        {
            pattern.Problem("hypothesis regex probe tolerance must have a `pattern` key: {type: regex, pattern: <regular expression>, target?: <key of the output>}.");
        }
        else if (pattern.Text is not { } text)
        {
            pattern.Problem($"hypothesis probe tolerance pattern {pattern.Shown} has an invalid type; the pattern is a text.");
        }
        else
        {
            try
            {
                // Python's named groups, (?P<name>…) and (?P=name), in .NET's spelling.
                _ = new Regex(text.Replace("(?P<", "(?<").Replace("(?P=", "\\k<"), RegexOptions.None, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException exception)
            {
                pattern.Problem($"hypothesis probe tolerance pattern {text} seems invalid: {exception.Message}");
            }
        }

        Target(tolerance);
        tolerance.UnknownKeys(["type", "pattern", "target"], "regex tolerance");
    }

    private static void JsonPathTolerance(ToolkitCursor tolerance)
    {
        var path = tolerance["path"];
        if (!tolerance.Has("path"))
        {
            path.Problem("hypothesis jsonpath probe tolerance must have a `path` key: {type: jsonpath, path: <JSON path>, expect?, count?, target?}.");
        }
        else if (path.Text is not { } text)
        {
            path.Problem($"found {path.Found}; the JSON path is a text, such as $.status.");
        }
        else if (text.Trim().Length == 0)
        {
            path.Problem("hypothesis probe tolerance JSON path cannot be empty.");
        }
        else if (!Balanced(text.Trim()))
        {
            path.Problem($"hypothesis probe tolerance JSON path {text} is invalid: its brackets, parentheses or quotes do not match.");
        }

        if (tolerance.Has("count") && !(tolerance["count"].IsInteger && tolerance["count"].Number >= 0))
        {
            tolerance["count"].Problem($"found {tolerance["count"].Found}; count is how many values the path matches, a whole number from 0.");
        }

        Target(tolerance);
        tolerance.UnknownKeys(["type", "path", "expect", "count", "target"], "jsonpath tolerance");
    }

    private static void RangeTolerance(ToolkitCursor tolerance)
    {
        var range = tolerance["range"];
        if (!tolerance.Has("range"))
        {
            range.Problem("hypothesis range probe tolerance must have a `range` key: {type: range, range: [lower, upper], target?}.");
        }
        else if (!range.IsList)
        {
            range.Problem($"hypothesis range must be a sequence; found {range.Found}: range: [lower, upper].");
        }
        else if (range.Items.Count() != 2)
        {
            range.Problem($"hypothesis range sequence must be made of two values; found {range.Items.Count()}: range: [lower, upper].");
        }
        else
        {
            var (lower, upper) = (range.Items.First(), range.Items.Last());
            if (lower.Number is null && !lower.IsBoolean)
            {
                lower.Problem($"hypothesis range lower boundary must be a number; found {lower.Found}.");
            }

            if (upper.Number is null && !upper.IsBoolean)
            {
                upper.Problem($"hypothesis range upper boundary must be a number; found {upper.Found}.");
            }
        }

        Target(tolerance);
        tolerance.UnknownKeys(["type", "range", "target"], "range tolerance");
    }

    /// <summary>The key of the probe's output to check (status, body, stdout…), when the tolerance names one.</summary>
    private static void Target(ToolkitCursor tolerance)
    {
        if (tolerance.Has("target") && tolerance["target"].Text is not { Length: > 0 })
        {
            tolerance["target"].Problem($"found {tolerance["target"].Found}; target names a key of the probe's output, such as body, stdout or status.");
        }
    }

    /// <summary>Brackets, parentheses and quotes that match: what a JSON path needs whatever the dialect.</summary>
    private static bool Balanced(string path)
    {
        var open = new Stack<char>();
        char? quote = null;
        foreach (var character in path)
        {
            if (quote is not null)
            {
                quote = character == quote ? null : quote;
            }
            else if (character is '\'' or '"')
            {
                quote = character;
            }
            else if (character is '[' or '(')
            {
                open.Push(character == '[' ? ']' : ')');
            }
            else if (character is ']' or ')' && (open.Count == 0 || open.Pop() != character))
            {
                return false;
            }
        }

        return quote is null && open.Count == 0;
    }
}
