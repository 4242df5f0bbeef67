using System.Buffers;
using System.Globalization;
using System.Text;

namespace VokeTag.SampleApi.Validation;

/// <summary>
/// What free text the API accepts, checked at the edge so that no dependency ever sees it: well-formed Unicode
/// (no lone surrogates), no control characters (NUL, escape, line breaks, C1 controls), at most a given length.
/// PostgreSQL refuses NUL in text and Npgsql refuses lone surrogates; we refuse both before either is asked.
/// </summary>
public static class TextRules
{
    /// <returns>Null when the text is acceptable, else what is wrong, e.g. "contains the control character U+0000 at position 2".</returns>
    public static string? Problem(string text, int maxLength)
    {
        if (text.Length > maxLength)
        {
            return $"is {text.Length} characters long; at most {maxLength} allowed";
        }

        var position = 0;
        var remaining = text.AsSpan();
        while (!remaining.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(remaining, out var rune, out var consumed) != OperationStatus.Done)
            {
                return $"contains a lone surrogate U+{(int)remaining[0]:X4} at position {position + 1} (not valid Unicode)";
            }

            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control)
            {
                return $"contains the control character U+{rune.Value:X4} at position {position + 1}";
            }

            position += consumed;
            remaining = remaining[consumed..];
        }

        return null;
    }

    /// <summary>Text safe to echo in a problem detail: printable ASCII kept, everything else as <c>\uXXXX</c>, shortened.</summary>
    public static string Echo(string text, int maxLength = 40)
    {
        var echo = new StringBuilder();
        foreach (var c in text.Length <= maxLength ? text : text[..maxLength])
        {
            echo.Append(c is >= ' ' and <= '~' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return text.Length <= maxLength ? echo.ToString() : echo + "…";
    }
}
