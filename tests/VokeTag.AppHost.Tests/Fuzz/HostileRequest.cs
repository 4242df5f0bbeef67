using System.Text;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>
/// One generated request, as bytes on the wire, with what the suite needs to judge it. <see cref="Replay"/> prints it
/// so that a failing case can be sent again by hand (<c>printf '…' | nc 127.0.0.1 5180</c>).
/// </summary>
/// <param name="Kind">What the case abuses, for the summary (e.g. "location text", "header bytes").</param>
/// <param name="Fields">When the API answers 400, its detail must name one of these (the fields the case made hostile).</param>
/// <param name="Burst">Sent this many times at once (concurrent same-key writes); 1 otherwise.</param>
public sealed record HostileRequest(string Kind, byte[] Bytes, IReadOnlyList<string>? Fields = null, int Burst = 1)
{
    public string Method => Encoding.Latin1.GetString(Bytes).Split(' ', 2)[0];

    /// <summary>The request with every byte outside printable ASCII escaped (\r, \n, \xHH).</summary>
    public string Replay
    {
        get
        {
            var replay = new StringBuilder();
            foreach (var b in Bytes.Take(600))
            {
                replay.Append(b switch
                {
                    (byte)'\r' => "\\r",
                    (byte)'\n' => "\\n",
                    (byte)'\\' => "\\\\",
                    (byte)'\'' => "\\x27",
                    >= 0x20 and < 0x7f => ((char)b).ToString(),
                    _ => $"\\x{b:X2}",
                });
            }

            return Bytes.Length > 600 ? $"{replay}… ({Bytes.Length} bytes)" : replay.ToString();
        }
    }

    /// <summary>Builds an HTTP/1.1 request; the target and header values are bytes, so they may be anything.</summary>
    /// <param name="contentLength">The Content-Length to claim; null: the body's length; a negative value: no header.</param>
    public static byte[] Http(string method, byte[] target, IEnumerable<(string Name, byte[] Value)> headers, byte[]? body, long? contentLength = null)
    {
        var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.Latin1.GetBytes(text));
        Write(method + " ");
        request.Write(target);
        Write(" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
        foreach (var (name, value) in headers)
        {
            Write(name + ": ");
            request.Write(value);
            Write("\r\n");
        }

        var length = contentLength ?? body?.Length;
        if (length is >= 0)
        {
            Write($"Content-Length: {length}\r\n");
        }

        Write("\r\n");
        if (body is not null)
        {
            request.Write(body);
        }

        return request.ToArray();
    }
}
