namespace VokeTag.SlackMessage;

/// <summary>
/// <c>[RUNS_DIR] [--title TEXT] [--link URL]</c>: reads <c>RUNS_DIR/*/junit.xml</c> (default <c>runs</c>) and prints the
/// Slack webhook payload. Exit 0: printed (also when there is no report: the message says so); 1: a report cannot be
/// read (named on stderr, nothing printed); 2: bad arguments.
/// </summary>
public static class SlackMessageCommand
{
    public const string Usage = "usage: dotnet run --project tools/VokeTag.SlackMessage -- [RUNS_DIR (default: runs)] [--title TEXT] [--link URL]";
    public const string DefaultTitle = "Chaos run";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter errors)
    {
        Options options;
        try
        {
            options = Options.Parse(args);
        }
        catch (ArgumentException problem)
        {
            errors.WriteLine($"slack-message: {problem.Message}");
            errors.WriteLine(Usage);
            return 2;
        }

        IReadOnlyList<RunOutcome> runs;
        try
        {
            runs = RunReportReader.ReadAll(options.RunsDirectory);
        }
        catch (Exception problem) when (problem is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            errors.WriteLine($"slack-message: {problem.Message}");
            return 1;
        }

        if (runs.Count == 0)
        {
            errors.WriteLine($"slack-message: no run reports (*/{RunReportReader.FileName}) in {options.RunsDirectory}; the message says so.");
        }

        output.WriteLine(SlackMessage.Compose(runs, options.RunsDirectory, options.Title, options.Link).ToPayload());
        return 0;
    }

    private sealed record Options(string RunsDirectory, string Title, string? Link)
    {
        /// <exception cref="ArgumentException">The message names what is wrong.</exception>
        public static Options Parse(IReadOnlyList<string> args)
        {
            string? runsDirectory = null, link = null;
            var title = DefaultTitle;
            for (var index = 0; index < args.Count; index++)
            {
                var arg = args[index];
                if (arg is "--title" or "--link")
                {
                    var value = index + 1 < args.Count && args[index + 1].Length > 0 ? args[++index] : throw new ArgumentException($"{arg} needs a value.");
                    if (arg == "--title")
                    {
                        title = value;
                    }
                    else
                    {
                        link = Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
                            ? value
                            : throw new ArgumentException($"--link is '{value}'; allowed: an absolute http(s) URL.");
                    }
                }
                else if (arg.StartsWith("--", StringComparison.Ordinal))
                {
                    throw new ArgumentException($"'{arg}' is not an option.");
                }
                else
                {
                    runsDirectory = runsDirectory is null ? arg : throw new ArgumentException($"one runs folder only ('{runsDirectory}' and '{arg}').");
                }
            }

            return new Options(runsDirectory ?? "runs", title, link);
        }
    }
}
