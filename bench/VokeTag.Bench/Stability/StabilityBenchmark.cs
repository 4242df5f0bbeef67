using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace VokeTag.Bench.Stability;

/// <summary>
/// The stability benchmark: for each mode and variant, one headless lab (<c>dotnet run --project VokeTag.AppHost --
/// Chaos:Run=…</c>, as CI runs it) runs every experiment N times, interleaved; each run's run.json becomes a line of
/// the results file. Ctrl-C stops the lab as a user's Ctrl-C would (the worker rolls back), and what finished is kept.
/// </summary>
public sealed class StabilityBenchmark(StabilityOptions options, string repository, TextWriter console)
{
    private readonly string _sitting = DateTimeOffset.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var resultsFile = Path.GetFullPath(options.ResultsFile, repository);
        Directory.CreateDirectory(Path.GetDirectoryName(resultsFile)!);
        var phases = string.Create(CultureInfo.InvariantCulture,
            $"{options.BaselineSeconds}/{options.ImpactSeconds}/{options.RecoverySeconds}/{options.SustainSeconds} s");
        var labs = options.Modes.SelectMany(mode => options.Variants.Select(variant => (Mode: mode, Variant: variant))).ToList();
        console.WriteLine($"stability: {options.Runs} × {options.Experiments.Count} experiment(s) in {labs.Count} lab(s) " +
            $"({string.Join(", ", labs.Select(lab => $"{lab.Mode}/{lab.Variant.Name}"))}), phases {phases}; at most {options.TimeLimitPerLab.TotalMinutes:0} min per lab.");

        var recorded = 0;
        foreach (var (mode, variant) in labs)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }

            var runsDirectory = Path.Combine(Path.GetDirectoryName(resultsFile)!, "runs", $"{_sitting}-{mode}-{variant.Name}");
            var exitCode = await RunLabAsync(mode, variant, runsDirectory);
            var records = ReadRuns(runsDirectory, mode, variant.Name, phases);
            await File.AppendAllLinesAsync(resultsFile, records.Select(record => JsonSerializer.Serialize(record, RunRecord.Json)), CancellationToken.None);
            recorded += records.Count;
            console.WriteLine($"stability: {mode}/{variant.Name}: lab exited {exitCode}; {records.Count} run(s) recorded, " +
                $"{records.Count(record => LabVariant.IsExpected(record.Variant, record.Status))} with the expected verdict ({variant.ExpectedVerdict}).");
            if (records.Count == 0)
            {
                console.WriteLine($"stability: {mode}/{variant.Name} recorded no run; see {LogFile(mode, variant)}.");
            }
        }

        console.WriteLine($"stability: {recorded} run(s) appended to {resultsFile}.");
        console.WriteLine();
        console.Write(StabilityTable.Render(RunRecord.ReadAll(resultsFile)));
        return recorded > 0 ? 0 : 1;
    }

    /// <summary>
    /// Runs one headless lab to its end. Ctrl-C is not forwarded: the terminal sends it to the lab as well, which rolls
    /// back and exits by itself; the benchmark then keeps what finished and starts no further lab.
    /// </summary>
    private async Task<int> RunLabAsync(string mode, LabVariant variant, string runsDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { "run", "--project", Path.Combine(repository, "VokeTag.AppHost"), "--no-build", "--", $"Lab:Runtime={mode}", $"Chaos:RunsDirectory={runsDirectory}" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = repository,
        };
        foreach (var setting in options.HeadlessSettings().Concat(variant.Settings)
            .Concat(mode == "container" && options.ImageRegistry is { } registry ? [$"Lab:ImageRegistry={registry}"] : []))
        {
            start.ArgumentList.Add(setting);
        }

        var logFile = LogFile(mode, variant);
        Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
        await using var log = new StreamWriter(logFile);
        using var lab = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        var prefix = $"[{mode}/{variant.Name}]";
        var output = Task.WhenAll(Pump(lab.StandardOutput, log, prefix), Pump(lab.StandardError, log, prefix));
        using var limit = new CancellationTokenSource(options.TimeLimitPerLab);
        try
        {
            await lab.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            console.WriteLine($"{prefix} over its {options.TimeLimitPerLab.TotalMinutes:0} min limit: stopping it.");
            await LabProcess.StopAsync(lab);
        }

        await output;
        return lab.ExitCode;
    }


    private async Task Pump(StreamReader reader, StreamWriter log, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (log)
            {
                log.WriteLine(line);
            }

            if (line.StartsWith("chaos: ", StringComparison.Ordinal) || line.StartsWith("VERDICT", StringComparison.Ordinal)
                || line.StartsWith("  FAIL", StringComparison.Ordinal) || line.Contains("cannot start", StringComparison.Ordinal))
            {
                console.WriteLine($"{prefix} {line}");
            }
        }
    }

    private IReadOnlyList<RunRecord> ReadRuns(string runsDirectory, string mode, string variant, string phases)
    {
        if (!Directory.Exists(runsDirectory))
        {
            return [];
        }

        var machine = Machine.Describe();
        return [.. Directory.GetDirectories(runsDirectory).Order(StringComparer.Ordinal)
            .Select(directory => Path.Combine(directory, "run.json")).Where(File.Exists)
            .Select(file => JsonDocument.Parse(File.ReadAllText(file)).RootElement)
            .Select(run => RunRecord.FromRunJson(run, _sitting, machine, mode, variant, phases))];
    }

    private string LogFile(string mode, LabVariant variant) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(options.ResultsFile, repository))!, "logs", $"{_sitting}-{mode}-{variant.Name}.log");
}

/// <summary>What the figures were measured on, in one line.</summary>
public static class Machine
{
    public static string Describe()
    {
        var os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(line => line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?["PRETTY_NAME=".Length..].Trim('"')
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {memory:0} GiB, {os ?? System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
    }
}
