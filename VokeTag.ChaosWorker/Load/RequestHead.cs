using System.Diagnostics;
using System.Text;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// Writes a run's requests as HTTP/1.1 bytes: what is the same for every request of the run (the Host line, the trace
/// context of the phase that sends them) is encoded once.
/// </summary>
internal sealed class RequestHead
{
    private readonly byte[] _common;

    /// <param name="authority">The Host header, e.g. <c>127.0.0.1:5180</c>.</param>
    /// <param name="parent">
    /// The span the requests belong to (the experiment's phase): sent as <c>traceparent</c>, so the API's spans of this
    /// load sit under it in the dashboard.
    /// </param>
    public RequestHead(string authority, Activity? parent)
    {
        var traceparent = parent is { IdFormat: ActivityIdFormat.W3C } ? $"traceparent: {parent.Id}\r\n" : "";
        _common = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {authority}\r\n{traceparent}");
    }

    /// <returns>The request's length in <paramref name="buffer"/>.</returns>
    public int Write(LoadRequest request, byte[] buffer, ReadOnlySpan<byte> body)
    {
        var span = buffer.AsSpan();
        var length = Append(span, 0, request.Kind == RequestKind.Scan ? "POST /tags/VT-"u8 : "GET /tags/VT-"u8);
        request.Tag.TryFormat(span[length..], out var digits, "D6");
        length += digits;
        length = Append(span, length, request.Kind == RequestKind.Verify ? [] : "/scans"u8);
        length = Append(span, length, _common);
        if (request.Kind == RequestKind.Scan)
        {
            length = Append(span, length, "Content-Type: application/json\r\nContent-Length: "u8);
            body.Length.TryFormat(span[length..], out digits);
            length += digits;
            if (request.IdempotencyKey is { } key)
            {
                length = Append(span, length, "\r\nIdempotency-Key: "u8);
                length += Encoding.ASCII.GetBytes(key, span[length..]);
            }

            length = Append(span, length, "\r\n"u8);
        }

        length = Append(span, length, "\r\n"u8);
        return Append(span, length, body);
    }

    private static int Append(Span<byte> buffer, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[at..]);
        return at + bytes.Length;
    }
}
