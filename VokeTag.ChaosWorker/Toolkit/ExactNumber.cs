using System.Numerics;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>
/// A number held exactly (a fraction, ±infinity or NaN), so int, float and Decimal compare as Python compares them:
/// 2**53 + 1 != 2.0**53, and Decimal("0.3") is above the float 0.3, which is a little less than 0.3.
/// </summary>
internal readonly struct ExactNumber
{
    private enum Kind { Finite, PositiveInfinity, NegativeInfinity, NaN }

    private readonly Kind _kind;
    private readonly BigInteger _numerator;
    private readonly BigInteger _denominator;

    private ExactNumber(Kind kind, BigInteger numerator, BigInteger denominator) =>
        (_kind, _numerator, _denominator) = (kind, numerator, denominator);

    public static readonly ExactNumber NaN = new(Kind.NaN, 0, 1);

    public static readonly ExactNumber PositiveInfinity = new(Kind.PositiveInfinity, 0, 1);

    public static readonly ExactNumber NegativeInfinity = new(Kind.NegativeInfinity, 0, 1);

    /// <summary>-1, 0 or 1; NaN counts as non-zero (it is truthy in Python).</summary>
    public int Sign => _kind switch
    {
        Kind.Finite => _numerator.Sign,
        Kind.NegativeInfinity => -1,
        _ => 1,
    };

    public bool IsNaN => _kind == Kind.NaN;

    public static ExactNumber Fraction(BigInteger numerator, BigInteger denominator) => new(Kind.Finite, numerator, denominator);

    /// <summary>The number a bool, int or float JSON value holds (True is 1).</summary>
    public static ExactNumber Of(JsonNode? node) => PythonValues.TypeOf(node) switch
    {
        PythonType.Bool => Fraction(PythonValues.BoolOf(node) ? 1 : 0, 1),
        PythonType.Int when PythonValues.TryGetInteger((JsonValue)node!, out var integer) => Fraction(integer, 1),
        PythonType.Float => FromDouble(PythonValues.DoubleOf((JsonValue)node!)),
        _ => NaN,
    };

    /// <summary>The exact binary value of a double, as <c>Decimal(float)</c> and int/float comparisons use it.</summary>
    public static ExactNumber FromDouble(double number)
    {
        if (double.IsNaN(number))
        {
            return NaN;
        }

        if (double.IsInfinity(number))
        {
            return number > 0 ? PositiveInfinity : NegativeInfinity;
        }

        var bits = BitConverter.DoubleToInt64Bits(number);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0)
        {
            exponent = 1; // subnormal
        }
        else
        {
            mantissa |= 1L << 52;
        }

        exponent -= 1075;
        BigInteger numerator = bits < 0 ? -mantissa : mantissa;
        return exponent >= 0 ? Fraction(numerator << exponent, 1) : Fraction(numerator, BigInteger.One << -exponent);
    }

    /// <summary>-1, 0 or 1, or null when either side is NaN (unordered).</summary>
    public static int? Compare(ExactNumber left, ExactNumber right)
    {
        if (left.IsNaN || right.IsNaN)
        {
            return null;
        }

        if (left._kind != Kind.Finite || right._kind != Kind.Finite)
        {
            return left.Rank.CompareTo(right.Rank);
        }

        return (left._numerator * right._denominator).CompareTo(right._numerator * left._denominator);
    }

    private int Rank => _kind switch
    {
        Kind.NegativeInfinity => -1,
        Kind.PositiveInfinity => 1,
        _ => 0,
    };
}
