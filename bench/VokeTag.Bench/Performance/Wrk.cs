using System.Globalization;
using System.Text.RegularExpressions;

namespace VokeTag.Bench.Performance;

/// <summary>wrk, the HTTP load tool the lab's load generator is held against: its rate and latency percentiles.</summary>
public static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, TimeSpan P50, TimeSpan P99, long Non2xx);

    /// <summary>
    /// <paramref name="connections"/> connections for <paramref name="seconds"/>; with <paramref name="delayMs"/>, each
    /// connection waits that long after every answer (wrk's Lua <c>delay()</c>: Debian's wrk has no rate flag).
    /// </summary>
    public static async Task<Result> RunAsync(Uri url, int threads, int connections, int seconds, int? delayMs = null)
    {
        string? script = null;
        if (delayMs is { } delay)
        {
            script = Path.Combine(Path.GetTempPath(), $"voketag-wrk-delay-{delay}.lua");
            await File.WriteAllTextAsync(script, $"function delay()\n  return {delay}\nend\n");
        }

        var output = await ExternalTool.RunAsync("wrk",
            ["-t", Text(threads), "-c", Text(connections), "-d", $"{seconds}s", "--latency", .. script is null ? Array.Empty<string>() : ["-s", script], url.ToString()],
            TimeSpan.FromSeconds(seconds + 30));
        return Parse(output);
    }

    public static Result Parse(string output)
    {
        var rate = RateLine().Match(output);
        if (!rate.Success)
        {
            throw new FormatException($"wrk printed no Requests/sec line: {output.Trim()}");
        }

        TimeSpan Percentile(string percent) =>
            PercentileLine().Matches(output).FirstOrDefault(match => match.Groups["percent"].Value == percent) is { } line
                ? Duration(line.Groups["value"].Value, line.Groups["unit"].Value)
                : throw new FormatException($"wrk printed no {percent}% latency (was --latency given?): {output.Trim()}");

        return new Result(
            double.Parse(rate.Groups["rate"].Value, CultureInfo.InvariantCulture), Percentile("50"), Percentile("99"),
            Non2xxLine().Match(output) is { Success: true } non2xx ? long.Parse(non2xx.Groups["count"].Value, CultureInfo.InvariantCulture) : 0);
    }

    private static TimeSpan Duration(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(number),
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            _ => throw new FormatException($"wrk latency unit '{unit}' is unknown."),
        };
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"Requests/sec:\s+(?<rate>[0-9.]+)")]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^\s+(?<percent>\d+)%\s+(?<value>[0-9.]+)(?<unit>us|ms|s|m)\s*$", RegexOptions.Multiline)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"Non-2xx or 3xx responses:\s+(?<count>\d+)")]
    private static partial Regex Non2xxLine();
}
