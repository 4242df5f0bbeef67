using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// Writes manifests as YAML that reads the same to every Kubernetes tool: block style, "\n" line ends, no line folding,
/// and every text that YAML 1.1 (what kubectl's parser follows) would read as something else (<c>"25"</c>, <c>"true"</c>,
/// <c>"on"</c>, <c>""</c>) double-quoted. The same documents always give the same bytes.
/// </summary>
public static partial class ManifestYaml
{
    /// <summary>Documents separated by <c>---</c>, after <paramref name="comments"/> as <c># </c> lines.</summary>
    public static string Write(IEnumerable<ManifestMap> documents, IEnumerable<string>? comments = null)
    {
        var text = new StringBuilder();
        foreach (var line in comments ?? [])
        {
            var indent = line.Length - line.TrimStart(' ').Length;
            text.Append(line.Trim().Length == 0 ? "#" : $"# {new string(' ', indent)}{OneLine(line)}").Append('\n');
        }

        var first = true;
        foreach (var document in documents)
        {
            if (!first)
            {
                text.Append("---\n");
            }

            text.Append(Document(document));
            first = false;
        }

        return text.ToString();
    }

    /// <summary>A text on one line, for a comment or an annotation: line breaks and tabs become spaces.</summary>
    public static string OneLine(string text) => WhiteSpace().Replace(text, " ").Trim();

    private static string Document(ManifestMap document)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(writer, new EmitterSettings(2, int.MaxValue, false, 1024, false, true, "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        Node(emitter, document);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void Node(IEmitter emitter, object value)
    {
        switch (value)
        {
            case ManifestMap map:
                emitter.Emit(new MappingStart(null, null, isImplicit: true, map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, item) in map)
                {
                    Text(emitter, key);
                    Node(emitter, item);
                }

                emitter.Emit(new MappingEnd());
                break;
            case string text:
                Text(emitter, text);
                break;
            case bool flag:
                Plain(emitter, flag ? "true" : "false");
                break;
            case int or long:
                Plain(emitter, Convert.ToString(value, CultureInfo.InvariantCulture)!);
                break;
            case System.Collections.IEnumerable items:
                var list = items.Cast<object>().ToList();
                emitter.Emit(new SequenceStart(null, null, isImplicit: true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Node(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            default:
                throw new ArgumentException($"A manifest holds texts, whole numbers, booleans, maps and lists; found {value.GetType().Name}.", nameof(value));
        }
    }

    private static void Plain(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false));

    private static void Text(IEmitter emitter, string value) =>
        emitter.Emit(new Scalar(null, null, value, NeedsQuotes(value) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any, isPlainImplicit: true, isQuotedImplicit: true));

    /// <summary>Whether a plain scalar with this text would be read as something other than this text.</summary>
    internal static bool NeedsQuotes(string value) =>
        value.Length == 0
        || value != value.Trim()
        || NotText().IsMatch(value)
        || "-?:,[]{}#&*!|>'\"%@`".Contains(value[0])
        || value.Contains(": ", StringComparison.Ordinal)
        || value.Contains(" #", StringComparison.Ordinal)
        || value.EndsWith(':')
        || value.Any(char.IsControl);

    // YAML 1.1 and 1.2 booleans, nulls and numbers (with signs, underscores, bases, exponents, sexagesimals, infinities).
    [GeneratedRegex(@"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~|[-+]?(?:[0-9][0-9_]*(?::[0-5]?[0-9])*|0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[0-9][0-9_]*[eE][-+]?[0-9]+|\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)))$")]
    private static partial Regex NotText();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
