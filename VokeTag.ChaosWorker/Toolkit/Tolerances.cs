using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static VokeTag.ChaosWorker.Toolkit.PythonValues;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// chaoslib's within_tolerance: whether a hypothesis probe's output is within its tolerance. The rule is chosen by the
/// tolerance's Python type (bool before int) and values compare with Python's ==, so 1 == 1.0 == True but
/// "200" != 200. Only int and list tolerances look into an http/process output's <c>status</c>; regex, jsonpath and
/// range tolerances use <c>target</c> instead. Where chaoslib would crash, the result is not met and says why.
/// </summary>
public static class Tolerances
{
    private static readonly ToleranceResult Met = new(true, null);

    private static readonly ToleranceResult NotMet = new(false, null);

    /// <param name="runProbeTolerance">Runs a <c>type: probe</c> tolerance: it gets a copy of the tolerance activity
    /// (its <c>provider.arguments</c> is a mapping, where the runner sets <c>value</c>) and a copy of the output, and
    /// tells whether the activity's result is truthy (false when it failed).</param>
    public static async Task<ToleranceResult> JudgeAsync(
        JsonNode? tolerance,
        JsonNode? value,
        Substitution substitution,
        Func<JsonObject, JsonNode?, CancellationToken, Task<bool>> runProbeTolerance,
        CancellationToken cancellationToken)
    {
        try
        {
            // The hypothesis substitutes a string tolerance first; a whole "${x}" may come back as a number or a list.
            if (TypeOf(tolerance) == PythonType.Str)
            {
                tolerance = substitution.Apply(tolerance);
            }

            return TypeOf(tolerance) switch
            {
                PythonType.Bool or PythonType.Str => Verdict(Equal(value, tolerance)),
                PythonType.Int => Verdict(Equal(HasStatus(value, out var status) ? status : value, tolerance)),
                PythonType.List => WithinList((JsonArray)tolerance!, value),
                PythonType.Dict => await WithinMappingAsync((JsonObject)tolerance!, value, substitution, runProbeTolerance, cancellationToken),
                _ => NotMet, // a float or null tolerance has no rule, so chaoslib's answer is None (falsy)
            };
        }
        catch (ToolkitException crash)
        {
            return new ToleranceResult(false, crash.Message);
        }
    }

    /// <summary>Membership on an output's status (even for two values: [200, 299] is 200 or 299), else a two-value
    /// range, else membership.</summary>
    private static ToleranceResult WithinList(JsonArray tolerance, JsonNode? value)
    {
        if (HasStatus(value, out var status))
        {
            return Verdict(Contains(tolerance, status));
        }

        if (tolerance.Count != 2)
        {
            return Verdict(Contains(tolerance, value));
        }

        // tolerance[0] <= value <= tolerance[1], which stops at the first False.
        return Verdict(LessOrEqualOrCrash(tolerance[0], value) && LessOrEqualOrCrash(value, tolerance[1]));
    }

    private static bool LessOrEqualOrCrash(JsonNode? left, JsonNode? right) =>
        LessOrEqual(left, right) ?? throw new ToolkitException(
            $"chaoslib raises TypeError here: a two-value list tolerance is a range [lower, upper], and '<=' is not supported between instances of '{TypeName(left)}' and '{TypeName(right)}'");

    private static async Task<ToleranceResult> WithinMappingAsync(
        JsonObject tolerance,
        JsonNode? value,
        Substitution substitution,
        Func<JsonObject, JsonNode?, CancellationToken, Task<bool>> runProbeTolerance,
        CancellationToken cancellationToken)
    {
        tolerance.TryGetPropertyValue("type", out var type);
        return (TypeOf(type) == PythonType.Str ? StringOf(type) : null) switch
        {
            "probe" => await WithinProbeAsync(tolerance, value, runProbeTolerance, cancellationToken),
            "regex" => WithinRegex(tolerance, value, substitution),
            "jsonpath" => WithinJsonPath(tolerance, value, substitution),
            "range" => WithinRange(tolerance, value),
            _ => NotMet,
        };
    }

    private static async Task<ToleranceResult> WithinProbeAsync(
        JsonObject tolerance, JsonNode? value, Func<JsonObject, JsonNode?, CancellationToken, Task<bool>> runProbeTolerance,
        CancellationToken cancellationToken)
    {
        // chaoslib writes tolerance["provider"]["arguments"]["value"], which only a mapping of arguments takes.
        if (!tolerance.TryGetPropertyValue("provider", out var provider) || provider is not JsonObject providerMapping)
        {
            throw new ToolkitException(
                $"chaoslib raises {(provider is null ? "KeyError" : "TypeError")} here: a probe tolerance needs a `provider` mapping");
        }

        if (!providerMapping.TryGetPropertyValue("arguments", out var arguments) || arguments is not JsonObject)
        {
            throw new ToolkitException(
                $"chaoslib raises {(arguments is null ? "KeyError" : "TypeError")} here: a probe tolerance's provider needs `arguments` as a mapping, where the output is passed as `value`");
        }

        return Verdict(await runProbeTolerance((JsonObject)tolerance.DeepClone(), value?.DeepClone(), cancellationToken));
    }

    /// <summary>Python's re.search of the substituted pattern in the output (or its <c>target</c>), which must be text.</summary>
    private static ToleranceResult WithinRegex(JsonObject tolerance, JsonNode? value, Substitution substitution)
    {
        var pattern = substitution.Apply(tolerance["pattern"]);
        if (TypeOf(pattern) != PythonType.Str)
        {
            throw new ToolkitException($"chaoslib raises TypeError here: a regex tolerance's `pattern` must be a string, not {TypeName(pattern)}");
        }

        var regex = PythonRegex.Compile(StringOf(pattern));
        var subject = Target(tolerance, value);
        if (TypeOf(subject) != PythonType.Str)
        {
            throw new ToolkitException(subject is JsonObject
                ? IsTruthy(tolerance["target"])
                    ? $"chaoslib raises TypeError here: the output has no key {PythonText.Repr(tolerance["target"])}, so the regex is searched in the whole mapping"
                    : "chaoslib raises TypeError here: a regex tolerance on a mapping output needs `target` (e.g. body)"
                : $"chaoslib raises TypeError here: a regex tolerance searches text, and the output is {TypeName(subject)}");
        }

        try
        {
            return Verdict(regex.IsMatch(StringOf(subject)));
        }
        catch (RegexMatchTimeoutException)
        {
            throw new ToolkitException($"the pattern {StringOf(pattern)} was still matching after {PythonRegex.MatchTimeout.TotalSeconds:0} s; chaoslib would keep waiting");
        }
    }

    /// <summary>
    /// The values the substituted path selects from the output (or its <c>target</c>; text is read as JSON when it
    /// is JSON). Met when there is any, or exactly <c>count</c>; <c>expect</c>, when present, decides instead: the
    /// values must equal it in order (a single value is a list of one).
    /// </summary>
    private static ToleranceResult WithinJsonPath(JsonObject tolerance, JsonNode? value, Substitution substitution)
    {
        var path = substitution.Apply(tolerance["path"]);
        if (TypeOf(path) != PythonType.Str)
        {
            throw new ToolkitException($"chaoslib raises TypeError here: a jsonpath tolerance's `path` must be a string, not {TypeName(path)}");
        }

        JsonPathQuery.Select(StringOf(path), null); // jsonpath2 parses the path before it looks at the output
        var subject = Target(tolerance, value);
        if (TypeOf(subject) == PythonType.Str && PythonJson.TryLoads(StringOf(subject), out var parsed))
        {
            subject = parsed;
        }

        var values = JsonPathQuery.Select(StringOf(path), subject);
        var met = values.Count > 0;
        if (tolerance["count"] is { } count)
        {
            met = Equal(JsonValue.Create((long)values.Count), count);
        }

        if (tolerance.TryGetPropertyValue("expect", out var declared))
        {
            var expect = substitution.Apply(declared);
            met = expect is JsonArray expected ? SequenceEqual(values, expected) : values.Count == 1 && Equal(values[0], expect);
        }

        return Verdict(met);
    }

    /// <summary>Decimal(lower) &lt;= Decimal(output) &lt;= Decimal(upper), exactly and inclusively; text that is
    /// not a number is simply not met.</summary>
    private static ToleranceResult WithinRange(JsonObject tolerance, JsonNode? value)
    {
        var subject = Target(tolerance, value);
        if (TypeOf(subject) == PythonType.Str && !PythonNumerals.TryParseDecimal(StringOf(subject), out _))
        {
            return NotMet;
        }

        var number = ToDecimal(subject, "the output");
        if (tolerance["range"] is not JsonArray { Count: >= 2 } bounds)
        {
            throw new ToolkitException("chaoslib raises TypeError here: a range tolerance needs `range: [lower, upper]`");
        }

        return Verdict(AtMost(ToDecimal(bounds[0], "the lower bound"), number)
            && AtMost(number, ToDecimal(bounds[1], "the upper bound")));
    }

    private static ExactNumber ToDecimal(JsonNode? node, string what) => TypeOf(node) switch
    {
        PythonType.Bool or PythonType.Int or PythonType.Float => ExactNumber.Of(node),
        PythonType.Str when PythonNumerals.TryParseDecimal(StringOf(node), out var number) => number,
        PythonType.Str => throw new ToolkitException($"chaoslib raises decimal.InvalidOperation here: {what} {PythonText.Repr(node)} is not a number"),
        PythonType.List => throw new ToolkitException($"chaoslib raises ValueError here: Decimal() reads a list only as (sign, digits, exponent), and {what} is {PythonText.Repr(node)}"),
        _ => throw new ToolkitException($"chaoslib raises TypeError here: conversion from {TypeName(node)} to Decimal is not supported ({what} of a range tolerance; use `target`, e.g. status, for an http or process output)"),
    };

    private static bool AtMost(ExactNumber left, ExactNumber right) =>
        ExactNumber.Compare(left, right) is int order
            ? order <= 0
            : throw new ToolkitException("chaoslib raises decimal.InvalidOperation here: a range tolerance cannot compare NaN");

    /// <summary>
    /// chaoslib's <c>value.get(target, value)</c> when <c>target</c> is truthy: the output's entry of that name, or
    /// the whole output when it has none. Only a mapping output has <c>get</c>.
    /// </summary>
    private static JsonNode? Target(JsonObject tolerance, JsonNode? value)
    {
        var target = tolerance["target"];
        if (!IsTruthy(target))
        {
            return value;
        }

        if (value is not JsonObject output)
        {
            throw new ToolkitException($"chaoslib raises AttributeError here: `target` picks an entry of a mapping output, and the output is {TypeName(value)}");
        }

        if (TypeOf(target) is PythonType.List or PythonType.Dict)
        {
            throw new ToolkitException($"chaoslib raises TypeError here: `target` must be a key such as \"body\", not a {TypeName(target)}");
        }

        // A number or True never equals a JSON key, which is always a string.
        return TypeOf(target) == PythonType.Str && output.TryGetPropertyValue(StringOf(target), out var picked) ? picked : value;
    }

    /// <summary>An http or process output (any mapping with a <c>status</c> key, even a null one).</summary>
    private static bool HasStatus(JsonNode? value, out JsonNode? status)
    {
        status = null;
        return value is JsonObject output && output.TryGetPropertyValue("status", out status);
    }

    private static ToleranceResult Verdict(bool met) => met ? Met : NotMet;
}
