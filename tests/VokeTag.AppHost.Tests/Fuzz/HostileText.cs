using System.Text;
using CsCheck;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>Text and bytes that parsers, databases and logs have choked on, and their encodings on the wire.</summary>
public static class HostileText
{
    private static readonly string[] Known =
    [
        "", " ", "\0", "a\0b", "\ud800", "x\udc00y", "\ud83d\ude80", "🚀 dock", "\u202eevil", "zero\u200bwidth", "\ufeffbom",
        "'; DROP TABLE scans; --", "\" OR 1=1 --", "../../../etc/passwd", "%00", "%", "\r\nX-Injected: 1", "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "null", "true", "-1", "1e309", "NaN", "\\", "\\u0000", "ä", "ⅧⅨ", "ＶＴ－０００００１",
        "VT-000001\0", "VT-00000١", "vt-000001", " VT-000001", "VT-000001 ", "VT-0000001", "VT-00001", "VT-000000", "VT-999999",
        "VT-+00001", "VT--00001", "VT-0x0001", "VT-00000\n", "\u0085", "\u007f", "\ufffe", "\uffff", "Zürich Hbf", "東京",
    ];

    /// <summary>Any text: known troublemakers, arbitrary UTF-16 (lone surrogates included), controls, over-long runs.</summary>
    public static readonly Gen<string> AnyText = Gen.Frequency(
        (4, Gen.OneOf(Known)),
        (3, Gen.Char.Array[0, 24].Select(chars => new string(chars))),
        (2, Gen.Char['\0', '\u001f'].Array[1, 6].Select(chars => "dock " + new string(chars))),
        (1, Gen.Int[150, 6000].Select(length => new string('x', length))));

    /// <summary>UTF-8, except that a lone surrogate becomes its 3-byte form (WTF-8): invalid UTF-8, as a client may send.</summary>
    public static byte[] Wtf8(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text.Substring(i++, 2)));
            }
            else if (char.IsSurrogate(text[i]))
            {
                bytes.AddRange([(byte)(0xE0 | (text[i] >> 12)), (byte)(0x80 | ((text[i] >> 6) & 0x3F)), (byte)(0x80 | (text[i] & 0x3F))]);
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(text[i].ToString()));
            }
        }

        return [.. bytes];
    }

    /// <summary>Percent-encodes every byte outside the unreserved set, as a path segment.</summary>
    public static byte[] PercentEncoded(byte[] bytes)
    {
        var encoded = new StringBuilder();
        foreach (var b in bytes)
        {
            encoded.Append(b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~'
                ? ((char)b).ToString()
                : $"%{b:X2}");
        }

        return Encoding.ASCII.GetBytes(encoded.ToString());
    }

    /// <summary>A path segment: encoded text, encoded arbitrary bytes, or raw bytes no client should put in a request line.</summary>
    public static readonly Gen<byte[]> Segment = Gen.Frequency(
        (5, AnyText.Select(text => PercentEncoded(Wtf8(text)))),
        (2, Gen.Byte.Array[1, 12].Select(PercentEncoded)),
        (1, Gen.Byte[0x80, 0xFF].Array[1, 6]),
        (1, Gen.OneOf("%", "%G0", "%0", "%%", "..", ".", "%2F", "%2e%2e").Select(Encoding.ASCII.GetBytes)));

    /// <summary>A JSON string literal of the text, escaped the way System.Text.Json writes it (lone surrogates as \uD800).</summary>
    public static string JsonString(string text)
    {
        var json = new StringBuilder("\"");
        foreach (var c in text)
        {
            json.Append(c is >= ' ' and <= '~' and not '"' and not '\\' ? c.ToString() : $"\\u{(int)c:X4}");
        }

        return json.Append('"').ToString();
    }

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
