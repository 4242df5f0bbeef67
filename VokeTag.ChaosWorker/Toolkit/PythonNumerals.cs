using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.RegularExpressions;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// Numbers read from text as Python reads them: <c>int(s)</c> and <c>float(s)</c> (env_var_type conversions) and
/// <c>Decimal(s)</c> (range tolerances). All allow surrounding whitespace and any Unicode decimal digit.
/// </summary>
internal static partial class PythonNumerals
{
    /// <summary>Beyond this a Decimal's power of ten is not worth building; no probe output comes near it.</summary>
    private const int MaxDecimalExponent = 100_000;

    /// <summary>Python's <c>int(text)</c>: optional sign, digits, single underscores between digits.</summary>
    public static bool TryParseInt(string text, out BigInteger integer)
    {
        integer = 0;
        var ascii = ToAscii(text, dropUnderscores: false);
        if (ascii is null || !IntPattern().IsMatch(ascii))
        {
            return false;
        }

        integer = BigInteger.Parse(ascii.Replace("_", ""), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>Python's <c>float(text)</c>: decimal or exponent form with PEP 515 underscores, inf, infinity, nan.</summary>
    public static bool TryParseFloat(string text, out double number)
    {
        number = 0;
        var ascii = ToAscii(text, dropUnderscores: false);
        if (ascii is null)
        {
            return false;
        }

        var special = FloatSpecialPattern().Match(ascii);
        if (special.Success)
        {
            var negative = special.Groups["sign"].Value == "-";
            number = special.Groups["nan"].Success ? double.NaN : negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }

        if (!FloatPattern().IsMatch(ascii))
        {
            return false;
        }

        number = double.Parse(ascii.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// Python's <c>Decimal(text)</c>: like float's syntax, but any underscore is ignored and NaN may carry digits.
    /// False where Decimal raises InvalidOperation (the text is not a number).
    /// </summary>
    public static bool TryParseDecimal(string text, out ExactNumber number)
    {
        number = ExactNumber.NaN;
        var ascii = ToAscii(text, dropUnderscores: true);
        var match = ascii is null ? Match.Empty : DecimalPattern().Match(ascii);
        if (!match.Success)
        {
            return false;
        }

        var negative = match.Groups["sign"].Value == "-";
        if (match.Groups["nan"].Success)
        {
            return true;
        }

        if (match.Groups["infinity"].Success)
        {
            number = negative ? ExactNumber.NegativeInfinity : ExactNumber.PositiveInfinity;
            return true;
        }

        var digits = match.Groups["digits"].Value.Split('.');
        var fraction = digits.Length > 1 ? digits[1] : "";
        var mantissa = BigInteger.Parse("0" + digits[0] + fraction, CultureInfo.InvariantCulture);
        if (negative)
        {
            mantissa = -mantissa;
        }

        var written = match.Groups["exponent"].Success ? match.Groups["exponent"].Value : "0";
        if (mantissa.IsZero)
        {
            number = ExactNumber.Fraction(0, 1);
            return true;
        }

        if (!long.TryParse(written, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            || Math.Abs(exponent - fraction.Length) > MaxDecimalExponent)
        {
            throw new ToolkitException($"Decimal('{text}') has a power of ten beyond ±{MaxDecimalExponent}, which this runner does not compare");
        }

        var power = (int)(exponent - fraction.Length);
        number = power >= 0
            ? ExactNumber.Fraction(mantissa * BigInteger.Pow(10, power), 1)
            : ExactNumber.Fraction(mantissa, BigInteger.Pow(10, -power));
        return true;
    }

    /// <summary>str.isspace(): .NET's white space plus the four separators U+001C..U+001F.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\x1c' and <= '\x1f';

    /// <summary>
    /// The text trimmed, with Unicode digits made ASCII and other Unicode spaces made ' ' (so they fail the grammar),
    /// as CPython does before parsing; null when it holds any other non-ASCII character.
    /// </summary>
    private static string? ToAscii(string text, bool dropUnderscores)
    {
        var (start, end) = (0, text.Length);
        while (start < end && IsSpace(text[start]))
        {
            start++;
        }

        while (end > start && IsSpace(text[end - 1]))
        {
            end--;
        }

        var builder = new StringBuilder(end - start);
        foreach (var rune in text.AsSpan(start, end - start).EnumerateRunes())
        {
            if (dropUnderscores && rune.Value == '_')
            {
                continue;
            }

            if (rune.Value is > 0 and <= 127)
            {
                builder.Append((char)rune.Value);
            }
            else if (rune.IsBmp && IsSpace((char)rune.Value))
            {
                builder.Append(' ');
            }
            else if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.DecimalDigitNumber)
            {
                builder.Append((char)('0' + (int)Rune.GetNumericValue(rune)));
            }
            else
            {
                return null;
            }
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[+-]?[0-9]+(?:_[0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[+-]?(?:(?:[0-9](?:_?[0-9])*)?\.[0-9](?:_?[0-9])*|[0-9](?:_?[0-9])*\.?)(?:[eE][+-]?[0-9](?:_?[0-9])*)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex FloatPattern();

    [GeneratedRegex("^(?<sign>[+-])?(?:(?<infinity>inf|infinity)|(?<nan>nan))\\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FloatSpecialPattern();

    [GeneratedRegex(@"^(?<sign>[+-])?(?:(?<digits>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE](?<exponent>[+-]?[0-9]+))?|(?<infinity>inf|infinity)|(?<nan>s?nan[0-9]*))\z", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPattern();
}
