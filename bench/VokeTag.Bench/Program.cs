using VokeTag.Bench;
using VokeTag.Bench.Performance;
using VokeTag.Bench.Stability;

// The lab's benchmarks: dotnet run --project bench/VokeTag.Bench -- <benchmark> [options]. See README.md, "Benchmarks".
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, press) =>
{
    press.Cancel = true; // the lab in the same terminal gets the Ctrl-C too; let it roll back, then stop
    stop.Cancel();
    Console.WriteLine("bench: stopping after the current lab has rolled back and exited…");
};

try
{
    var repository = Repository.Find();
    return args switch
    {
        ["stability", .. var rest] => await new StabilityBenchmark(StabilityOptions.Parse(rest), repository, Console.Out).RunAsync(stop.Token),
        ["stability-table", .. var rest] => PrintTable(StabilityOptions.Parse(rest), repository),
        ["performance", .. var rest] => await new PerformanceBenchmark(PerformanceOptions.Parse(rest), repository, Console.Out).RunAsync(),
        _ => throw new BenchUsageException(args.Length == 0 ? "name a benchmark." : $"'{args[0]}' is not a benchmark."),
    };
}
catch (BenchUsageException problem)
{
    Console.Error.WriteLine($"bench: {problem.Message}");
    Console.Error.WriteLine();
    Console.Error.WriteLine("usage: dotnet run --project bench/VokeTag.Bench -- <benchmark> [options]");
    Console.Error.WriteLine(StabilityOptions.Usage);
    Console.Error.WriteLine(PerformanceOptions.Usage);
    return 2;
}
catch (InvalidOperationException problem)
{
    Console.Error.WriteLine($"bench: {problem.Message}"); // a tool or the lab failed; the lab was stopped
    return 1;
}

static int PrintTable(StabilityOptions options, string repository)
{
    var records = RunRecord.ReadAll(Path.GetFullPath(options.ResultsFile, repository));
    Console.Write(StabilityTable.Render(options.Sitting is { } sitting ? StabilityTable.OfSitting(records, sitting) : records));
    return 0;
}

/// <summary>The checkout: the folder with VokeTag.Lab.sln, above the working directory or this program.</summary>
internal static class Repository
{
    public static string Find() =>
        Above(Environment.CurrentDirectory) ?? Above(AppContext.BaseDirectory)
        ?? throw new BenchUsageException("run the benchmark inside the lab's checkout (no VokeTag.Lab.sln above here).");

    private static string? Above(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "VokeTag.Lab.sln")))
            {
                return directory.FullName;
            }
        }

        return null;
    }
}
