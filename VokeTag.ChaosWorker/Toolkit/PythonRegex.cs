using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// A Python <c>re</c> pattern compiled for .NET. The common syntax is shared; what differs is rewritten:
/// <c>(?P&lt;name&gt;…)</c>, <c>(?P=name)</c>, <c>\Z</c> (end of text only), <c>{,n}</c>, <c>\UXXXXXXXX</c>, and the
/// a/L/u flags, which .NET lacks (dropped: str patterns are Unicode in both).
/// </summary>
internal static partial class PythonRegex
{
    /// <summary>Python's re has no time limit; a pattern that backtracks this long is reported rather than waited on.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(10);

    /// <exception cref="ToolkitException">The pattern does not compile (Python raises re.error).</exception>
    public static Regex Compile(string pattern)
    {
        try
        {
            return new Regex(Translate(pattern), RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException invalid)
        {
            throw new ToolkitException($"chaoslib raises re.error here: the pattern {pattern} does not compile ({invalid.Message})");
        }
    }

    internal static string Translate(string pattern)
    {
        var result = new StringBuilder(pattern.Length);
        var inClass = false;
        var i = 0;
        while (i < pattern.Length)
        {
            var rest = pattern.AsSpan(i);
            if (rest[0] == '\\' && rest.Length > 1)
            {
                i += Escape(pattern, i, inClass, result);
            }
            else if (inClass)
            {
                inClass = rest[0] != ']';
                result.Append(rest[0]);
                i++;
            }
            else if (rest[0] == '[')
            {
                inClass = true;
                result.Append('[');
                i++;
                if (i < pattern.Length && pattern[i] == '^')
                {
                    result.Append('^');
                    i++;
                }

                // A ']' right after the opening bracket is a literal in Python.
                if (i < pattern.Length && pattern[i] == ']')
                {
                    result.Append(@"\]");
                    i++;
                }
            }
            else if (rest.StartsWith("(?P<"))
            {
                result.Append("(?<");
                i += 4;
            }
            else if (BackReference().Match(pattern, i) is { Success: true, Index: var at } reference && at == i)
            {
                result.Append(@"\k<").Append(reference.Groups[1].Value).Append('>');
                i += reference.Length;
            }
            else if (FlagGroup().Match(pattern, i) is { Success: true, Index: var start } flags && start == i)
            {
                var on = flags.Groups["on"].Value.Replace("a", "").Replace("L", "").Replace("u", "");
                var off = flags.Groups["off"].Success ? "-" + flags.Groups["off"].Value : "";
                var scoped = flags.Groups["end"].Value == ":";
                result.Append(on.Length + off.Length == 0 ? (scoped ? "(?:" : "") : $"(?{on}{off}{flags.Groups["end"].Value}");
                i += flags.Length;
            }
            else if (OpenLowerBound().Match(pattern, i) is { Success: true, Index: var from } bound && from == i)
            {
                result.Append("{0,").Append(bound.Groups[1].Value).Append('}');
                i += bound.Length;
            }
            else
            {
                result.Append(rest[0]);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>Copies one escape, rewriting the two Python has differently; returns how much of the pattern it read.</summary>
    private static int Escape(string pattern, int at, bool inClass, StringBuilder result)
    {
        var letter = pattern[at + 1];
        if (letter == 'Z' && !inClass)
        {
            result.Append(@"\z");
            return 2;
        }

        if (letter == 'U' && at + 10 <= pattern.Length
            && int.TryParse(pattern.AsSpan(at + 2, 8), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var codePoint)
            && codePoint is >= 0 and <= 0x10FFFF)
        {
            // A code point above U+FFFF is two UTF-16 units to .NET.
            var units = codePoint <= 0xFFFF ? new[] { (char)codePoint } : char.ConvertFromUtf32(codePoint).ToCharArray();
            foreach (var unit in units)
            {
                result.Append($@"\u{(int)unit:X4}");
            }

            return 10;
        }

        result.Append('\\').Append(letter);
        return 2;
    }

    [GeneratedRegex(@"\G\(\?P=([_A-Za-z][_A-Za-z0-9]*)\)")]
    private static partial Regex BackReference();

    [GeneratedRegex(@"\G\(\?(?<on>[aiLmsux]*)(?:-(?<off>[imsx]+))?(?<end>[:)])")]
    private static partial Regex FlagGroup();

    [GeneratedRegex(@"\G\{,([0-9]+)\}")]
    private static partial Regex OpenLowerBound();
}
