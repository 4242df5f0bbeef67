using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VokeTag.ChaosWorker.Toolkit;

/// <summary>chaoslib's <c>ActivityFailed</c>: the activity's record says failed, and the method goes on.</summary>
public sealed class ActivityFailedException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// chaoslib's http and process providers, as its source runs them: an error status or a non-zero exit is an output,
/// not a failure; only not reaching the server, a timeout or a command that cannot start fail the activity.
/// </summary>
public static class ToolkitProviders
{
    /// <summary>chaoslib waits forever without a timeout; the lab's loads and faults stop by themselves, so this is the limit.</summary>
    public static readonly TimeSpan MaxActivityTime = TimeSpan.FromMinutes(5);

    /// <summary>Redirects followed at most, as requests does; each one is checked against the hosts the run may call.</summary>
    public const int MaxRedirects = 30;

    private static readonly HttpClient Http = Client(verifyTls: true);

    /// <summary>For <c>verify_tls: false</c>: a server certificate is not checked (a lab's self-signed one).</summary>
    private static readonly HttpClient Unverified = Client(verifyTls: false);

    /// <summary>
    /// A new connection for every call, as chaoslib opens a new session per call: a connection kept alive from before a
    /// fault would meet the fault as a reset, or slip past it.
    /// </summary>
    private static HttpClient Client(bool verifyTls) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        PooledConnectionLifetime = TimeSpan.Zero,
        SslOptions = verifyTls ? new() : new() { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The http provider: <c>{status, headers, body}</c>, the body parsed only when the answer is exactly <c>application/json</c>.</summary>
    /// <param name="provider">Substituted already (url, headers, timeout, arguments).</param>
    /// <param name="refuse">Why a URL may not be called (outside the lab), or null.</param>
    /// <exception cref="ToolkitAbort">What chaoslib does not wrap in ActivityFailed (a URL that is not one, a method that is not one, JSON that is not JSON): the method aborts.</exception>
    public static async Task<JsonObject> HttpAsync(JsonObject provider, Func<Uri, string?> refuse, CancellationToken cancellationToken)
    {
        var url = provider["url"]?.ToString() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new ToolkitAbort($"'{url}' is not an http(s) URL (chaoslib's requests raises MissingSchema or InvalidURL here)");
        }

        var method = (provider["method"]?.ToString() ?? "GET").ToUpperInvariant();
        if (method.Length == 0 || !method.All(char.IsAsciiLetter))
        {
            throw new ToolkitAbort($"'{provider["method"]}' is not an HTTP method");
        }

        var arguments = provider["arguments"];
        var headers = provider["headers"] as JsonObject;
        if (method == "GET" && arguments is not null)
        {
            address = WithQuery(address, arguments);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit(provider["timeout"]));
        var client = provider["verify_tls"] is JsonValue verify && verify.GetValueKind() == JsonValueKind.False ? Unverified : Http;
        try
        {
            for (var redirects = 0; ; redirects++)
            {
                if (refuse(address) is { } refusal)
                {
                    throw new ActivityFailedException(refusal);
                }

                using var response = await SendAsync(client, () => Request(method, address, headers, method == "GET" ? null : arguments),
                    RetriesOf(provider["max_retries"]), deadline.Token);
                if ((int)response.StatusCode is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location && redirects < MaxRedirects)
                {
                    address = new Uri(address, location);
                    method = (int)response.StatusCode is 307 or 308 || method == "HEAD" ? method : "GET";
                    continue;
                }

                return await OutputAsync(response, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ActivityFailedException("activity took too long to complete");
        }
        catch (HttpRequestException exception)
        {
            throw new ActivityFailedException($"failed to connect to {url}: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// Sends, and sends again up to <paramref name="retries"/> times when the server could not be reached
    /// (<c>max_retries</c>: requests retries connection errors only, never a request that got an answer).
    /// </summary>
    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Func<HttpRequestMessage> request, int retries, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            using var message = request();
            try
            {
                return await client.SendAsync(message, cancellationToken);
            }
            catch (HttpRequestException exception) when (attempt < retries && exception.HttpRequestError == HttpRequestError.ConnectionError)
            {
            }
        }
    }

    private static int RetriesOf(JsonNode? maxRetries) => PythonValues.NumberOf(maxRetries) is { } count and > 0 ? (int)Math.Min(count, 10) : 0;

    /// <summary>
    /// The request as requests builds it: a JSON body only when the file's headers say exactly <c>application/json</c>,
    /// else a form from a mapping or the text as it is; the file's headers as written.
    /// </summary>
    private static HttpRequestMessage Request(string method, Uri address, JsonObject? headers, JsonNode? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), address);
        if (body is not null)
        {
            request.Content = headers?["Content-Type"]?.ToString() == "application/json"
                ? new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json")
                : body is JsonObject form
                    ? new FormUrlEncodedContent(form.Where(pair => pair.Value is not null).Select(pair => KeyValuePair.Create(pair.Key, PythonText.Format(pair.Value))))
                    : new ByteArrayContent(Encoding.UTF8.GetBytes(PythonText.Format(body)));
        }

        foreach (var (name, value) in headers ?? [])
        {
            if (request.Headers.TryAddWithoutValidation(name, value?.ToString()))
            {
                continue;
            }

            request.Content ??= new ByteArrayContent([]);
            request.Content.Headers.Remove(name);
            if (!request.Content.Headers.TryAddWithoutValidation(name, value?.ToString()))
            {
                throw new ToolkitAbort($"header '{name}' cannot be sent: it is not a valid header name");
            }
        }

        return request;
    }

    private static async Task<JsonObject> OutputAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var text = Decode(bytes, response.Content.Headers.ContentType?.CharSet);
        var answerHeaders = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            answerHeaders[name] = string.Join(", ", values);
        }

        return new JsonObject
        {
            ["status"] = (int)response.StatusCode,
            ["headers"] = answerHeaders,
            ["body"] = response.Content.Headers.ContentType?.ToString() == "application/json" ? ParseJson(text) : JsonValue.Create(text),
        };
    }

    /// <summary>The body as text in its charset; UTF-8 when it names none or one .NET does not know.</summary>
    private static string Decode(byte[] bytes, string? charset)
    {
        try
        {
            return (charset is { Length: > 0 } ? Encoding.GetEncoding(charset.Trim('"')) : Encoding.UTF8).GetString(bytes);
        }
        catch (ArgumentException)
        {
            return Encoding.UTF8.GetString(bytes);
        }
    }

    /// <summary>The process provider: <c>{status, stdout, stderr}</c>; a string of arguments goes through the shell, a list does not.</summary>
    /// <param name="path">Resolved on PATH already.</param>
    public static async Task<JsonObject> ProcessAsync(string path, JsonNode? arguments, JsonNode? timeout, CancellationToken cancellationToken)
    {
        var start = CommandOf(path, arguments);
        start.RedirectStandardOutput = start.RedirectStandardError = start.RedirectStandardInput = true;
        start.UseShellExecute = false;
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new ToolkitAbort($"could not start '{path}': {exception.Message} (chaoslib does not catch this: the method aborts)");
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit(timeout));
        try
        {
            // Its output too: a child left running with the pipes open must not hold the activity past its timeout.
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdout, stderr).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new ActivityFailedException("process activity took too long to complete");
        }

        return new JsonObject
        {
            ["status"] = process.ExitCode,
            ["stdout"] = await stdout,
            ["stderr"] = await stderr,
        };
    }

    /// <summary>What a process provider runs, as a dry run lists it.</summary>
    public static string Describe(string path, JsonNode? arguments)
    {
        var start = CommandOf(path, arguments);
        return string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList.Select(Quote)));
    }

    /// <summary>A string of arguments runs through <c>/bin/sh -c</c>, as chaoslib does; a list (or a deprecated mapping, flattened) runs as argv.</summary>
    private static ProcessStartInfo CommandOf(string path, JsonNode? arguments)
    {
        if (arguments is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            return new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", $"{path} {text}" } };
        }

        var items = arguments switch
        {
            JsonArray list => list.ToList(),
            JsonObject mapping => [.. mapping.SelectMany(pair => new[] { JsonValue.Create(pair.Key), pair.Value })],
            _ => [],
        };
        var start = new ProcessStartInfo(path);
        foreach (var item in items.Where(item => item is not null && !(item.GetValueKind() == JsonValueKind.String && item.ToString().Length == 0)))
        {
            start.ArgumentList.Add(PythonText.Format(item));
        }

        return start;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=@%+,".Contains(c)) ? argument : $"'{argument.Replace("'", "'\\''")}'";

    /// <summary>
    /// How long the call may take: chaoslib's timeout (one number for connecting and for reading, or
    /// <c>[connect, read]</c>), at most <see cref="MaxActivityTime"/>, which is also the limit without one.
    /// </summary>
    private static TimeSpan Limit(JsonNode? timeout)
    {
        static double? Seconds(JsonNode? node) => PythonValues.NumberOf(node) is > 0 and var seconds ? seconds : null;

        var total = timeout is JsonArray { Count: 2 } pair ? Seconds(pair[0]) + Seconds(pair[1]) : Seconds(timeout);
        return total is { } limit ? TimeSpan.FromSeconds(Math.Min(limit, MaxActivityTime.TotalSeconds)) : MaxActivityTime;
    }

    private static Uri WithQuery(Uri address, JsonNode arguments)
    {
        var query = new StringBuilder(address.Query.TrimStart('?'));
        if (arguments is not JsonObject parameters)
        {
            // A text of arguments is the query as it is, as requests sends it.
            query.Append(query.Length > 0 ? "&" : "").Append(PythonText.Format(arguments));
            return new UriBuilder(address) { Query = query.ToString() }.Uri;
        }

        foreach (var (name, value) in parameters)
        {
            foreach (var item in value is JsonArray list ? list.ToList() : [value])
            {
                if (item is null)
                {
                    continue;
                }

                query.Append(query.Length > 0 ? "&" : "").Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(PythonText.Format(item)));
            }
        }

        return new UriBuilder(address) { Query = query.ToString() }.Uri;
    }

    private static JsonNode? ParseJson(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException exception)
        {
            throw new ToolkitAbort($"the answer says application/json but is not JSON (chaoslib raises JSONDecodeError here): {exception.Message}");
        }
    }

    internal static string Iso(DateTimeOffset at) =>
        at.UtcDateTime.ToString(at.UtcDateTime.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'+00:00'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
