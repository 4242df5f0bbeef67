using System.Net.Sockets;
using System.Text;

namespace VokeTag.AppHost.Tests.Fuzz;

/// <summary>What came back for one raw request: the status line, headers and body, or how the exchange failed.</summary>
public sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();
}

/// <summary>
/// HTTP/1.1 over a bare socket, so a test can send what no well-behaved client would (invalid UTF-8 in the target,
/// control bytes in headers, a lying Content-Length) and still read the answer. Every request asks for
/// <c>Connection: close</c>, so the answer ends where the stream ends.
/// </summary>
public static class RawHttp
{
    /// <exception cref="RawHttpException">No answer within the timeout, a reset before any answer, or not HTTP.</exception>
    public static async Task<RawResponse> SendAsync(Uri server, byte[] request, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var received = new MemoryStream();
        try
        {
            await socket.ConnectAsync(server.Host, server.Port, deadline.Token);
            try
            {
                await socket.SendAsync(request, SocketFlags.None, deadline.Token);
            }
            catch (SocketException)
            {
                // The server may answer (413, 400) and close before it read everything we sent: read what it said.
            }

            var buffer = new byte[16 * 1024];
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                if (read == 0)
                {
                    break;
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (OperationCanceledException)
        {
            throw new RawHttpException($"no complete answer within {timeout.TotalSeconds:0} s ({received.Length} bytes received)");
        }
        catch (SocketException exception) when (received.Length == 0 || !HasHead(received))
        {
            throw new RawHttpException($"{exception.SocketErrorCode} before an answer");
        }
        catch (SocketException)
        {
            // A reset after the whole answer arrived (the server closed with our unread bytes in its buffer): answered.
        }

        return Parse(received.ToArray());
    }

    private static bool HasHead(MemoryStream received) =>
        Encoding.Latin1.GetString(received.GetBuffer(), 0, (int)received.Length).Contains("\r\n\r\n", StringComparison.Ordinal);

    private static RawResponse Parse(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headEnd < 0 || !text.StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            throw new RawHttpException($"not an HTTP answer: '{text[..Math.Min(text.Length, 60)]}'");
        }

        var lines = text[..headEnd].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':');
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var body = bytes.AsSpan(headEnd + 4);
        var content = headers.TryGetValue("Transfer-Encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase)
            ? Dechunk(body)
            : body.ToArray();
        return new RawResponse(status, headers, Encoding.UTF8.GetString(content));
    }

    private static byte[] Dechunk(ReadOnlySpan<byte> body)
    {
        var content = new MemoryStream();
        while (true)
        {
            var lineEnd = body.IndexOf("\r\n"u8);
            if (lineEnd < 0)
            {
                break;
            }

            var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..lineEnd]).Split(';')[0].Trim(), 16);
            if (size == 0)
            {
                break;
            }

            content.Write(body.Slice(lineEnd + 2, size));
            body = body[(lineEnd + 2 + size + 2)..];
        }

        return content.ToArray();
    }
}

public sealed class RawHttpException(string message) : Exception(message);
