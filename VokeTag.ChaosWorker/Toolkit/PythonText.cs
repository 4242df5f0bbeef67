using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// Python's <c>str()</c> of a JSON value, which is how chaoslib puts a value into text (string substitution, process
/// arguments): <c>True</c>, <c>None</c>, <c>1.0</c>, <c>{'a': 1}</c>, <c>[1, 'x']</c>.
/// </summary>
public static class PythonText
{
    public static string Format(JsonNode? value) =>
        PythonValues.TypeOf(value) == PythonType.Str ? PythonValues.StringOf(value) : Repr(value);

    /// <summary>Python's <c>repr()</c>: what str() of a container shows for each element.</summary>
    internal static string Repr(JsonNode? value) => PythonValues.TypeOf(value) switch
    {
        PythonType.None => "None",
        PythonType.Bool => PythonValues.BoolOf(value) ? "True" : "False",
        PythonType.Int when PythonValues.TryGetInteger((JsonValue)value!, out var integer) => integer.ToString(CultureInfo.InvariantCulture),
        PythonType.Float => FloatRepr(PythonValues.DoubleOf((JsonValue)value!)),
        PythonType.Str => StringRepr(PythonValues.StringOf(value)),
        PythonType.List => "[" + string.Join(", ", ((JsonArray)value!).Select(Repr)) + "]",
        _ => "{" + string.Join(", ", ((JsonObject)value!).Select(entry => StringRepr(entry.Key) + ": " + Repr(entry.Value))) + "}",
    };

    /// <summary>
    /// The shortest digits that read back as the same double, laid out as Python does: positional while the decimal
    /// point sits within 16 digits (always with a fraction, <c>1.0</c>), else <c>1e+16</c>, <c>1.5e-07</c>.
    /// </summary>
    internal static string FloatRepr(double number)
    {
        if (double.IsNaN(number))
        {
            return "nan";
        }

        if (double.IsInfinity(number))
        {
            return number > 0 ? "inf" : "-inf";
        }

        var sign = double.IsNegative(number) ? "-" : "";
        if (number == 0)
        {
            return sign + "0.0";
        }

        // .NET's "R" gives the same shortest round-trip digits; only the layout differs.
        var shortest = Math.Abs(number).ToString("R", CultureInfo.InvariantCulture);
        var parts = shortest.Split('E');
        var exponent = parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0;
        var point = parts[0].IndexOf('.') is var dot and >= 0 ? dot : parts[0].Length;
        var digits = parts[0].Replace(".", "");
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        var decimalPoint = point - leadingZeros + exponent; // value = 0.<digits> × 10^decimalPoint

        if (decimalPoint is > -4 and <= 16)
        {
            return sign + (decimalPoint <= 0
                ? "0." + new string('0', -decimalPoint) + digits
                : decimalPoint >= digits.Length
                    ? digits + new string('0', decimalPoint - digits.Length) + ".0"
                    : digits[..decimalPoint] + "." + digits[decimalPoint..]);
        }

        var mantissa = digits.Length > 1 ? digits[0] + "." + digits[1..] : digits;
        var power = decimalPoint - 1;
        return sign + mantissa + "e" + (power < 0 ? "-" : "+") + Math.Abs(power).ToString("00", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Single quotes unless the text has one and no double quote; backslash escapes for quotes, \t \n \r and
    /// characters Python does not print (controls, format characters, separators other than the space).
    /// </summary>
    internal static string StringRepr(string text)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, text[i + 1]);
                builder.Append(IsPrintable(CharUnicodeInfo.GetUnicodeCategory(codePoint))
                    ? text.Substring(i, 2)
                    : $"\\U{codePoint:x8}");
                i++;
                continue;
            }

            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when c == quote => "\\" + c,
                _ when c is >= ' ' and < '\x7f' => c.ToString(),
                _ when c >= '\x80' && IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c)) => c.ToString(),
                _ when c <= '\xff' => $"\\x{(int)c:x2}",
                _ => $"\\u{(int)c:x4}",
            });
        }

        return builder.Append(quote).ToString();
    }

    /// <summary>str.isprintable(): everything but controls, format, surrogates, private use, unassigned and separators.</summary>
    private static bool IsPrintable(UnicodeCategory category) => category is not (UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator);
}
