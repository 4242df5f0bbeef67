using System.Diagnostics.CodeAnalysis;

namespace VokeTag.SampleApi.Tags;

/// <summary>A product tag id: <c>VT-</c> followed by six digits, e.g. <c>VT-000042</c>.</summary>
public readonly record struct TagId
{
    public const string Format = "VT- followed by 6 digits, e.g. VT-000042";
    private const string Prefix = "VT-";
    private const int DigitCount = 6;

    private TagId(string value) => Value = value;

    public string Value { get; }

    public static TagId FromNumber(int number) => new($"{Prefix}{number.ToString("D" + DigitCount, System.Globalization.CultureInfo.InvariantCulture)}");

    public static bool TryParse([NotNullWhen(true)] string? text, out TagId id)
    {
        id = default;
        if (text is null || text.Length != Prefix.Length + DigitCount || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        if (text.AsSpan(Prefix.Length).IndexOfAnyExceptInRange('0', '9') >= 0)
        {
            return false;
        }

        id = new TagId(text);
        return true;
    }

    public override string ToString() => Value;
}
