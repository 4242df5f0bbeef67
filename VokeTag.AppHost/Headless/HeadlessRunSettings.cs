using System.Globalization;
using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Lab;
using VokeTag.Experiments;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// The <c>Chaos</c> section of the AppHost's configuration for a headless run: <c>Chaos:Run</c> names the
/// experiments (names or paths of experiment files, comma-separated, or <c>all</c>); optional <c>Chaos:BaselineSeconds</c>, <c>ImpactSeconds</c>,
/// <c>RecoverySeconds</c>, <c>SustainSeconds</c>, <c>RatePerSecond</c> and <c>Chaos:Thresholds:&lt;criterion&gt;</c>
/// are passed to the worker, which validates them as it does for the dashboard. <c>Chaos:DryRun=true</c> prints the
/// plan (targets, faults, timing, criteria, guardrails) and injects nothing. <c>Chaos:RunsDirectory</c> (headless or
/// not) says where run reports go; default <c>runs/</c> beside the AppHost project.
/// </summary>
/// <remarks>
/// For Chaos Toolkit files: <c>Chaos:Var:&lt;name&gt;=value</c> replaces a configuration value the file declares (as
/// <c>chaos run --var</c>), <c>Chaos:AllowHosts=host:port,…</c> lets its http providers call more than the lab's API,
/// and <c>Chaos:AllowProcess=true</c> lets its process providers run commands: only this command line's run can, by a
/// token the worker gets at start and no dashboard command or other caller knows.
/// </remarks>
public sealed record HeadlessRunSettings(
    IReadOnlyList<string> Experiments, IReadOnlyDictionary<string, double> Options, IReadOnlyDictionary<string, double> Thresholds, bool DryRun = false)
{
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> AllowHosts { get; init; } = [];

    /// <summary>Set when <c>Chaos:AllowProcess=true</c>: the worker runs commands only for a request carrying it.</summary>
    public string? ProcessToken { get; init; }

    public const string SectionName = "Chaos";
    private static readonly string[] OptionKeys = ["BaselineSeconds", "ImpactSeconds", "RecoverySeconds", "SustainSeconds", "RatePerSecond"];
    private static readonly string[] OtherKeys = ["Run", "Thresholds", "DryRun", "RunsDirectory", "Experiments", "Var", "AllowHosts", "AllowProcess"];

    /// <summary>Where the worker writes each run's reports: <c>Chaos:RunsDirectory</c>, or <c>runs/</c> in the checkout.</summary>
    public static string RunsDirectory(IConfiguration configuration, string appHostDirectory) =>
        Path.GetFullPath(configuration[$"{SectionName}:RunsDirectory"] is { Length: > 0 } directory
            ? directory
            : Path.Combine(appHostDirectory, "..", "runs"));

    /// <returns>Null when <c>Chaos:Run</c> is not set: the lab runs interactively.</returns>
    /// <exception cref="LabSetupException">A key is unknown or a value is not a number.</exception>
    /// <param name="appHostDirectory">Relative paths of experiment files are found from the current folder or the checkout.</param>
    public static HeadlessRunSettings? Read(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection(SectionName);
        if (section["Run"] is not { } run)
        {
            return null;
        }

        foreach (var key in section.GetChildren().Select(child => child.Key))
        {
            if (!OptionKeys.Concat(OtherKeys).Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new LabSetupException(
                    $"{SectionName}:{key} is not a setting of a headless run; allowed: {string.Join(", ", OptionKeys.Concat(OtherKeys).Select(name => $"{SectionName}:{name}"))}.",
                    "dotnet run --project VokeTag.AppHost -- Chaos:Run=all Chaos:ImpactSeconds=20");
            }
        }

        // A file is named by its path, relative to where the command runs; the worker gets it absolute.
        var experiments = run.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(item => ExperimentFileReader.IsFilePath(item) ? ExperimentFilesCommand.Resolve(item, appHostDirectory) : item)
            .ToArray();
        if (experiments.Length == 0)
        {
            throw new LabSetupException($"{SectionName}:Run is empty; name experiments (comma-separated) or 'all'.",
                "dotnet run --project VokeTag.AppHost -- Chaos:Run=redis-failure,database-failure");
        }

        var options = OptionKeys.Where(key => section[key] is not null)
            .ToDictionary(key => char.ToLowerInvariant(key[0]) + key[1..], key => Number(section, key));
        var thresholds = section.GetSection("Thresholds").GetChildren()
            .ToDictionary(child => child.Key, child => Number(section.GetSection("Thresholds"), child.Key));
        var dryRun = Flag(section, "DryRun", "Chaos:Run=all Chaos:DryRun=true");
        var allowProcess = Flag(section, "AllowProcess", "Chaos:Run=experiments/ctk/check.json Chaos:AllowProcess=true");
        return new HeadlessRunSettings(experiments, options, thresholds, dryRun)
        {
            Variables = section.GetSection("Var").GetChildren().ToDictionary(child => child.Key, child => child.Value ?? ""),
            AllowHosts = (section["AllowHosts"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            ProcessToken = allowProcess ? Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)) : null,
        };
    }

    /// <summary>The body of the worker's <c>POST /runs</c>.</summary>
    public Dictionary<string, object> RequestBody()
    {
        var body = Options.ToDictionary(pair => pair.Key, pair => (object)pair.Value);
        body["experiments"] = Experiments;
        body["thresholds"] = Thresholds;
        body["dryRun"] = DryRun;
        body["variables"] = Variables;
        body["allowHosts"] = AllowHosts;
        if (ProcessToken is not null)
        {
            body["processToken"] = ProcessToken;
        }

        return body;
    }

    private static bool Flag(IConfigurationSection section, string key, string example) => section[key] switch
    {
        null => false,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new LabSetupException($"{SectionName}:{key} is '{text}'; allowed: true, false.",
            $"dotnet run --project VokeTag.AppHost -- {example}"),
    };

    private static double Number(IConfigurationSection section, string key) =>
        double.TryParse(section[key], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new LabSetupException($"{section.Path}:{key} is '{section[key]}'; allowed: a number (e.g. 20 or 0.5).",
                $"dotnet run --project VokeTag.AppHost -- {section.Path}:{key}=20");
}
