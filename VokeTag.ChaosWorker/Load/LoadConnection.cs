using System.Runtime.CompilerServices;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// One keep-alive HTTP/1.1 connection of the load generator, carrying one request at a time. The request is written
/// into the connection's own buffer and the answer read into another; only the status line and the headers the lab
/// reads are parsed, the body is skipped (Content-Length or chunked). Nothing is allocated per request but the header
/// values that changed since the last answer on this connection.
/// </summary>
internal sealed class LoadConnection : IDisposable
{
    /// <summary>An answer's status line and headers must fit in this; the API's are a few hundred bytes.</summary>
    public const int BufferSize = 16 * 1024;

    private static readonly byte[] ScanBody = """{"location":"chaos-lab"}"""u8.ToArray();

    private readonly Socket _socket;
    private readonly byte[] _send = new byte[4096];
    private readonly byte[] _receive = new byte[BufferSize];
    private readonly HeaderValue _servedFrom = new(), _replica = new(), _shed = new(), _injected = new();
    private int _start, _end; // unread answer bytes in _receive

    private LoadConnection(Socket socket, long openedAt)
    {
        _socket = socket;
        OpenedAt = openedAt;
    }

    /// <summary>When it was opened (<see cref="TimeProvider.GetTimestamp"/>), for renewal.</summary>
    public long OpenedAt { get; }

    /// <summary>Whether it has carried a request: a server may close a kept-alive connection at any moment.</summary>
    public bool Reused { get; private set; }

    public static async ValueTask<LoadConnection> OpenAsync(EndPoint endpoint, long now, CancellationToken cancellationToken)
    {
        // A host name (measure-only mode, in a cluster) resolves on connect, to whichever family it has.
        var socket = endpoint is DnsEndPoint
            ? new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken);
            return new LoadConnection(socket, now);
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new IOException($"Could not connect to {endpoint}: {exception.Message}", exception);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// False when the server closed it (or sent something unasked) while it was idle: it must not carry a request.
    /// One poll, no wait.
    /// </summary>
    public bool IsUsable => !_socket.Poll(0, SelectMode.SelectRead);

    /// <summary>Sends <paramref name="request"/> and reads its whole answer.</summary>
    /// <exception cref="StaleConnectionException">The server had closed the connection before any of the answer came.</exception>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(LoadAnswer Answer, bool KeepAlive)> ExchangeAsync(
        LoadRequest request, RequestHead head, CancellationToken cancellationToken)
    {
        var reused = Reused;
        Reused = true;
        var length = head.Write(request, _send, request.Kind == RequestKind.Scan ? ScanBody : []);
        try
        {
            await _socket.SendAsync(_send.AsMemory(0, length), SocketFlags.None, cancellationToken);
            return await ReadAnswerAsync(reused, cancellationToken);
        }
        catch (SocketException exception)
        {
            throw reused && _end == 0
                ? new StaleConnectionException(exception)
                : new IOException($"The connection failed: {exception.Message}", exception);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(LoadAnswer, bool)> ReadAnswerAsync(bool reused, CancellationToken cancellationToken)
    {
        _start = _end = 0;
        int headEnd;
        while ((headEnd = _receive.AsSpan(0, _end).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (_end == _receive.Length)
            {
                throw new IOException($"The answer's status line and headers exceed {BufferSize} bytes.");
            }

            if (!await ReceiveAsync(cancellationToken))
            {
                throw reused && _end == 0
                    ? new StaleConnectionException(null)
                    : new IOException("The server closed the connection before its answer was complete.");
            }
        }

        var head = ParseHead(_receive.AsSpan(0, headEnd));
        _start = headEnd + 4;
        if (head.Chunked)
        {
            await SkipChunkedBodyAsync(cancellationToken);
        }
        else if (head.ContentLength is { } contentLength)
        {
            await SkipAsync(contentLength, cancellationToken);
        }
        else if (head.Status is not (204 or 304 or < 200))
        {
            // No length: the body runs to the end of the connection.
            while (await ReceiveAsync(cancellationToken))
            {
                _start = _end;
            }

            head = head with { KeepAlive = false };
        }

        if (_start != _end)
        {
            throw new IOException("The server sent more than one answer to one request.");
        }

        return (new LoadAnswer(head.Status, head.ServedFrom, head.Replica, head.Shed, head.Injected), head.KeepAlive);
    }

    private Head ParseHead(ReadOnlySpan<byte> block)
    {
        var lineEnd = block.IndexOf("\r\n"u8);
        var statusLine = lineEnd < 0 ? block : block[..lineEnd];
        if (!statusLine.StartsWith("HTTP/1."u8) || statusLine.Length < 12 || statusLine[8] != (byte)' '
            || !TryDigits(statusLine.Slice(9, 3), out var status))
        {
            throw new IOException($"Not an HTTP/1.x status line: '{Encoding.ASCII.GetString(statusLine[..Math.Min(statusLine.Length, 80)])}'.");
        }

        var head = new Head(status, KeepAlive: statusLine[7] == (byte)'1');
        var rest = lineEnd < 0 ? [] : block[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = lineEnd < 0 ? rest : rest[..lineEnd];
            rest = lineEnd < 0 ? [] : rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                throw new IOException("A header line without a name.");
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim((byte)' ');
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                head = TryNumber(value, out var contentLength)
                    ? head with { ContentLength = contentLength }
                    : throw new IOException("A Content-Length that is not a number.");
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                head = head with { Chunked = Ascii.EqualsIgnoreCase(value, "chunked"u8) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "Connection"u8))
            {
                head = head with { KeepAlive = Ascii.EqualsIgnoreCase(value, "close"u8) ? false : head.KeepAlive || Ascii.EqualsIgnoreCase(value, "keep-alive"u8) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Served-From"u8))
            {
                head = head with { ServedFrom = _servedFrom.Read(value) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Replica"u8))
            {
                head = head with { Replica = _replica.Read(value) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Shed"u8))
            {
                head = head with { Shed = _shed.Read(value) };
            }
            else if (Ascii.EqualsIgnoreCase(name, "X-Chaos-Injected"u8))
            {
                head = head with { Injected = _injected.Read(value) };
            }
        }

        return head;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SkipChunkedBodyAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var sizeLine = await ReadLineAsync(cancellationToken);
            var extension = sizeLine.Span.IndexOf((byte)';');
            if (!TryHex(extension < 0 ? sizeLine : sizeLine[..extension], out var size))
            {
                throw new IOException("A chunk size that is not a hexadecimal number.");
            }

            if (size == 0)
            {
                while (!(await ReadLineAsync(cancellationToken)).IsEmpty)
                {
                    // trailer fields: skipped
                }

                return;
            }

            await SkipAsync(size, cancellationToken);
            if (!(await ReadLineAsync(cancellationToken)).IsEmpty)
            {
                throw new IOException("A chunk longer than its size.");
            }
        }
    }

    /// <summary>The next line of the answer without its CRLF; valid until the next read.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(CancellationToken cancellationToken)
    {
        int lineEnd;
        while ((lineEnd = _receive.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            Compact();
            if (_end == _receive.Length)
            {
                throw new IOException($"A chunk line exceeds {BufferSize} bytes.");
            }

            if (!await ReceiveAsync(cancellationToken))
            {
                throw new IOException("The server closed the connection inside a chunked answer.");
            }
        }

        var line = _receive.AsMemory(_start, lineEnd);
        _start += lineEnd + 2;
        return line;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask SkipAsync(long count, CancellationToken cancellationToken)
    {
        while (true)
        {
            var buffered = Math.Min(count, _end - _start);
            _start += (int)buffered;
            count -= buffered;
            if (count == 0)
            {
                return;
            }

            _start = _end = 0;
            if (!await ReceiveAsync(cancellationToken))
            {
                throw new IOException("The server closed the connection before the answer's body was complete.");
            }
        }
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _receive.AsSpan(_start, _end - _start).CopyTo(_receive);
            _end -= _start;
            _start = 0;
        }
    }

    /// <returns>False at the end of the connection.</returns>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> ReceiveAsync(CancellationToken cancellationToken)
    {
        var read = await _socket.ReceiveAsync(_receive.AsMemory(_end), SocketFlags.None, cancellationToken);
        _end += read;
        return read > 0;
    }

    private static bool TryNumber(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9' || value > long.MaxValue / 10)
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return !text.IsEmpty;
    }

    private static bool TryDigits(ReadOnlySpan<byte> text, out int value)
    {
        var ok = TryNumber(text, out var wide) && wide <= int.MaxValue;
        value = (int)wide;
        return ok;
    }

    private static bool TryHex(ReadOnlyMemory<byte> text, out long value)
    {
        value = 0;
        var digits = text.Span.Trim((byte)' ');
        foreach (var c in digits)
        {
            var digit = HexDigit(c);
            if (digit < 0 || value > (long.MaxValue >> 4))
            {
                return false;
            }

            value = (value << 4) + digit;
        }

        return !digits.IsEmpty;
    }

    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        _ => -1,
    };

    public void Dispose() => _socket.Dispose();

    private readonly record struct Head(
        int Status, bool KeepAlive, long? ContentLength = null, bool Chunked = false,
        string? ServedFrom = null, string? Replica = null, string? Shed = null, string? Injected = null);

    /// <summary>One header's last value on this connection: the same bytes again give the same string.</summary>
    private sealed class HeaderValue
    {
        private byte[] _bytes = [];
        private string? _text;

        public string Read(ReadOnlySpan<byte> value)
        {
            if (_text is null || !value.SequenceEqual(_bytes))
            {
                _bytes = value.ToArray();
                _text = Encoding.ASCII.GetString(value);
            }

            return _text;
        }
    }
}

/// <summary>A kept-alive connection the server had already closed: nothing of the answer came, so the request may be sent again.</summary>
internal sealed class StaleConnectionException(Exception? inner)
    : IOException("The server had closed the kept-alive connection before answering.", inner);
