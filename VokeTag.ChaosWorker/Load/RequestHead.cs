using System.Diagnostics;
using System.Text;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// Writes a run's requests as HTTP/1.1 bytes: what is the same for every request of the run (the Host line, the run id
/// as baggage) is encoded once; each request gets a trace of its own.
/// </summary>
/// <remarks>
/// A request's trace is its own, not the phase's: nested under the run, a 30 s run was one trace of thousands of spans
/// in the dashboard, its phases buried under the load. The run id goes along as baggage (the API tags its spans with
/// it, so a run's requests are one filter away) and the phase links to the first few requests' traces.
/// </remarks>
internal sealed class RequestHead
{
    /// <summary>How many of the requests' traces the sending phase links to.</summary>
    public const int LinkedSample = 5;

    private readonly byte[] _common;
    private readonly bool _traced;
    private readonly ActivityContext[] _sample = new ActivityContext[LinkedSample];
    private int _sent;

    /// <param name="authority">The Host header, e.g. <c>127.0.0.1:5180</c>.</param>
    /// <param name="sender">
    /// The span sending the requests (the experiment's phase): its <c>chaos.run_id</c> baggage goes with every request,
    /// and it is the span that <see cref="LinkSample"/> links to their traces. Null: the requests carry no trace context.
    /// </param>
    public RequestHead(string authority, Activity? sender)
    {
        _traced = sender is { IdFormat: ActivityIdFormat.W3C };
        var baggage = _traced && sender!.GetBaggageItem(Telemetry.ChaosTelemetry.RunIdBaggage) is { Length: > 0 } runId
            ? $"baggage: {Telemetry.ChaosTelemetry.RunIdBaggage}={Uri.EscapeDataString(runId)}\r\n"
            : "";
        _common = Encoding.ASCII.GetBytes($" HTTP/1.1\r\nHost: {authority}\r\n{baggage}");
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
        if (_traced)
        {
            length = AppendTraceparent(span, length);
        }

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

    /// <summary>Links <paramref name="sender"/> to the traces of the first requests sent (at most <see cref="LinkedSample"/>).</summary>
    public void LinkSample(Activity? sender)
    {
        var sent = Math.Min(Volatile.Read(ref _sent), LinkedSample);
        for (var index = 0; index < sent; index++)
        {
            if (_sample[index] != default)
            {
                sender?.AddLink(new ActivityLink(_sample[index]));
            }
        }
    }

    /// <summary>A new trace per request: <c>traceparent: 00-{trace id}-{span id}-01</c>.</summary>
    private int AppendTraceparent(Span<byte> buffer, int at)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var spanId = ActivitySpanId.CreateRandom();
        if (Interlocked.Increment(ref _sent) is var sent && sent <= LinkedSample)
        {
            _sample[sent - 1] = new ActivityContext(traceId, spanId, ActivityTraceFlags.Recorded, isRemote: true);
        }

        Span<byte> ids = stackalloc byte[24]; // 16 bytes of trace id, 8 of span id
        traceId.CopyTo(ids[..16]);
        spanId.CopyTo(ids[16..]);
        at = Append(buffer, at, "traceparent: 00-"u8);
        at = AppendHex(buffer, at, ids[..16]);
        at = Append(buffer, at, "-"u8);
        at = AppendHex(buffer, at, ids[16..]);
        return Append(buffer, at, "-01\r\n"u8);
    }

    /// <summary>Lower-case hex straight into the request: the generator's hot path allocates no string per request.</summary>
    private static int AppendHex(Span<byte> buffer, int at, ReadOnlySpan<byte> bytes)
    {
        Convert.TryToHexStringLower(bytes, buffer[at..], out var written);
        return at + written;
    }

    private static int Append(Span<byte> buffer, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer[at..]);
        return at + bytes.Length;
    }
}
