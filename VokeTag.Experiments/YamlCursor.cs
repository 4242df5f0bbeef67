using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace VokeTag.Experiments;

/// <summary>
/// A node of an experiment file with its path (<c>faults[1].latency</c>), for <see cref="ExperimentFileReader"/>: typed
/// reads that record a <see cref="DefinitionProblem"/> (line, column, path, what was found, what is allowed) and go on,
/// so one pass finds every problem.
/// </summary>
internal sealed class YamlCursor(YamlNode node, string path, string file, List<DefinitionProblem> problems)
{
    public YamlNode Node { get; } = node;

    public string Path { get; } = path;

    public void Problem(string message) =>
        problems.Add(new DefinitionProblem(file, (int)Node.Start.Line, (int)Node.Start.Column, Path, message));

    public YamlCursor Child(YamlNode child, string key) =>
        new(child, Path.Length == 0 ? key : $"{Path}.{key}", file, problems);

    /// <summary>The mapping's entries, or null (and a problem) when the node is not a mapping.</summary>
    public IReadOnlyDictionary<string, YamlCursor>? Mapping(IReadOnlyList<string> allowed)
    {
        if (Node is not YamlMappingNode mapping)
        {
            Problem($"found {Describe(Node)}; expected a mapping with: {string.Join(", ", allowed)}.");
            return null;
        }

        var entries = new Dictionary<string, YamlCursor>();
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "";
            var child = Child(value, key);
            if (!allowed.Contains(key))
            {
                new YamlCursor(keyNode, child.Path, file, problems).Problem($"unknown key '{key}'{Suggestion(key, allowed)}; allowed: {string.Join(", ", allowed)}.");
                continue;
            }

            entries[key] = child;
        }

        return entries;
    }

    /// <summary>The items of a sequence, or null (and a problem) when the node is not one.</summary>
    public IReadOnlyList<YamlCursor>? Sequence(string expected)
    {
        if (Node is not YamlSequenceNode sequence)
        {
            Problem($"found {Describe(Node)}; expected a list of {expected}.");
            return null;
        }

        return [.. sequence.Children.Select((item, index) => new YamlCursor(item, $"{Path}[{index}]", file, problems))];
    }

    public string? Text(int maxLength = 4_000)
    {
        if (Scalar() is not { } scalar)
        {
            Problem($"found {Describe(Node)}; expected a text.");
            return null;
        }

        if (string.IsNullOrWhiteSpace(scalar.Value))
        {
            Problem("is empty; expected a text.");
            return null;
        }

        if (scalar.Value.Length > maxLength)
        {
            Problem($"is {scalar.Value.Length} characters long; allowed up to {maxLength}.");
            return null;
        }

        return scalar.Value.Trim();
    }

    /// <summary>One of <paramref name="allowed"/>, exactly.</summary>
    public string? OneOf(IReadOnlyList<string> allowed)
    {
        var value = Scalar()?.Value;
        if (value is null || !allowed.Contains(value))
        {
            Problem($"found {Found()}{Suggestion(value ?? "", allowed)}; allowed: {string.Join(", ", allowed)}.");
            return null;
        }

        return value;
    }

    public bool? Boolean()
    {
        if (Plain() is "true" or "false")
        {
            return Plain() == "true";
        }

        Problem($"found {Found()}; allowed: true, false.");
        return null;
    }

    /// <summary>A number, plain in the file (not quoted), within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double? Number(double min, double max, string allowed)
    {
        if (Plain() is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value >= min && value <= max)
        {
            return value;
        }

        Problem($"found {Found()}; allowed: {allowed}.");
        return null;
    }

    public long? Integer(long min, long max)
    {
        if (Plain() is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        Problem($"found {Found()}; allowed: a whole number from {min} to {max}.");
        return null;
    }

    /// <summary>A duration with its unit: <c>500ms</c>, <c>1.5s</c>, <c>2m</c>.</summary>
    public TimeSpan? Duration(TimeSpan min, TimeSpan max)
    {
        if (ParseDuration(Scalar()?.Value) is { } value && value >= min && value <= max)
        {
            return value;
        }

        Problem($"found {Found()}; allowed: a duration from {Format(min)} to {Format(max)} with its unit, such as 500ms, 10s or 2m.");
        return null;
    }

    /// <summary>A share written as a percentage, <c>80%</c>, returned as a fraction (0.8).</summary>
    public double? Percentage(double minPercent, double maxPercent)
    {
        var text = Scalar()?.Value;
        if (text is not null && text.EndsWith('%')
            && double.TryParse(text[..^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent)
            && double.IsFinite(percent) && percent >= minPercent && percent <= maxPercent)
        {
            return percent / 100;
        }

        Problem($"found {Found()}; allowed: a percentage from {minPercent}% to {maxPercent}%, written with its % sign (10% is 0.1).");
        return null;
    }

    public static TimeSpan? ParseDuration(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var (number, scale) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001)
            : text.EndsWith('s') ? (text[..^1], 1.0)
            : text.EndsWith('m') ? (text[..^1], 60.0)
            : (null, 0);
        return number is not null && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value) && value >= 0 && value * scale <= TimeSpan.MaxValue.TotalSeconds / 2
            ? TimeSpan.FromSeconds(value * scale)
            : null;
    }

    public static string Format(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? $"{duration.TotalMilliseconds:0.###}ms"
        : duration < TimeSpan.FromMinutes(1) || duration.TotalSeconds % 60 != 0 ? $"{duration.TotalSeconds:0.###}s"
        : $"{duration.TotalMinutes:0.###}m";

    private YamlScalarNode? Scalar() => Node as YamlScalarNode;

    /// <summary>The text of a plain (unquoted) scalar: <c>5</c> is a number, <c>"5"</c> a text.</summary>
    private string? Plain() => Node is YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar ? scalar.Value : null;

    private string Found() => Node is YamlScalarNode scalar ? $"'{scalar.Value}'" : Describe(Node);

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain, Value: "" or "~" or "null" or null } => "nothing",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "an alias",
    };

    /// <summary>" (did you mean 'x'?)" when one allowed word is within two edits.</summary>
    internal static string Suggestion(string found, IReadOnlyList<string> allowed)
    {
        var nearest = allowed.Select(word => (Word: word, Distance: Distance(found, word))).MinBy(pair => pair.Distance);
        return found.Length >= 3 && nearest.Word is not null && nearest.Distance is > 0 and <= 2 ? $" (did you mean '{nearest.Word}'?)" : "";
    }

    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
