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

    private static readonly HttpClient Http = Client(verifyTls: true);

    /// <summary>For <c>verify_tls: false</c>: a server certificate is not checked (a lab's self-signed one).</summary>
    private static readonly HttpClient Unverified = Client(verifyTls: false);

    private static HttpClient Client(bool verifyTls) => new(new SocketsHttpHandler
    {
        AllowAutoRedirect = true,
        UseCookies = false,
        SslOptions = verifyTls ? new() : new() { RemoteCertificateValidationCallback = (_, _, _, _) => true },
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The http provider: <c>{status, headers, body}</c>, the body parsed only when the answer is exactly <c>application/json</c>.</summary>
    /// <param name="provider">Substituted already (url, headers, timeout, arguments).</param>
    public static async Task<JsonObject> HttpAsync(JsonObject provider, Func<Uri, string?> refuse, CancellationToken cancellationToken)
    {
        var url = provider["url"]?.ToString() ?? "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            throw new ActivityFailedException($"'{url}' is not an http(s) URL");
        }

        var method = (provider["method"]?.ToString() ?? "GET").ToUpperInvariant();
        var arguments = provider["arguments"];
        var headers = provider["headers"] as JsonObject;
        if (method == "GET" && arguments is JsonObject query)
        {
            address = WithQuery(address, query);
        }

        if (refuse(address) is { } refusal)
        {
            throw new ActivityFailedException(refusal);
        }

        using var request = new HttpRequestMessage(new HttpMethod(method), address);
        if (method != "GET" && arguments is not null)
        {
            request.Content = headers?["Content-Type"]?.ToString() == "application/json"
                ? new StringContent(arguments.ToJsonString(), Encoding.UTF8, "application/json")
                : arguments is JsonObject form
                    ? new FormUrlEncodedContent(form.Where(pair => pair.Value is not null).Select(pair => KeyValuePair.Create(pair.Key, PythonText.Format(pair.Value))))
                    : new StringContent(arguments.ToString());
        }

        foreach (var (name, value) in headers ?? [])
        {
            if (!request.Headers.TryAddWithoutValidation(name, value?.ToString()) && request.Content is not null)
            {
                request.Content.Headers.Remove(name);
                request.Content.Headers.TryAddWithoutValidation(name, value?.ToString());
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit(provider["timeout"]));
        try
        {
            var client = provider["verify_tls"] is JsonValue verify && verify.GetValueKind() == JsonValueKind.False ? Unverified : Http;
            using var response = await client.SendAsync(request, deadline.Token);
            var text = await response.Content.ReadAsStringAsync(deadline.Token);
            var contentType = response.Content.Headers.ContentType?.ToString();
            var answerHeaders = new JsonObject();
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                answerHeaders[name] = string.Join(", ", values);
            }

            return new JsonObject
            {
                ["status"] = (int)response.StatusCode,
                ["headers"] = answerHeaders,
                ["body"] = contentType == "application/json" ? ParseJson(text) : JsonValue.Create(text),
            };
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
            throw new ActivityFailedException($"could not start '{path}': {exception.Message}", exception);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Limit(timeout));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
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

    private static Uri WithQuery(Uri address, JsonObject arguments)
    {
        var query = new StringBuilder(address.Query.TrimStart('?'));
        foreach (var (name, value) in arguments)
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
            throw new ActivityFailedException($"the answer says application/json but is not JSON: {exception.Message}", exception);
        }
    }

    internal static string Iso(DateTimeOffset at) =>
        at.UtcDateTime.ToString(at.UtcDateTime.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-dd'T'HH:mm:ss'+00:00'" : "yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
