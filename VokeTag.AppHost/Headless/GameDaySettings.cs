using System.Globalization;
using Microsoft.Extensions.Configuration;
using VokeTag.AppHost.Lab;
using VokeTag.Experiments;

namespace VokeTag.AppHost.Headless;

/// <summary>
/// The <c>Chaos</c> section for a game day started from the command line: <c>Chaos:GameDay</c> names the scenario pool
/// (experiment names, comma-separated, or <c>all</c>); <c>Chaos:Rounds</c> (default 2), <c>Chaos:Hidden</c> (default
/// true), <c>Chaos:RoundLimitSeconds</c> (default 300) and optional <c>Chaos:Seed</c>, <c>Chaos:BaselineSeconds</c>,
/// <c>Chaos:RecoverySeconds</c>, <c>Chaos:SustainSeconds</c> go to the worker's <c>POST /gamedays</c>, which checks the
/// phases against each scenario as it does for the dashboard's prompt.
/// </summary>
public sealed record GameDaySettings(
    IReadOnlyList<string> Scenarios, int Rounds, bool Hidden, double RoundLimitSeconds, int? Seed, IReadOnlyDictionary<string, double> Phases)
{
    public const string Setting = "Chaos:GameDay";
    public const int DefaultRounds = 2;
    public const double DefaultRoundLimitSeconds = 300;

    // The worker's own limits (GameDayRequest); checked here too so a typo is refused before the lab starts.
    public const int MaxRounds = 10;
    public const double MinRoundLimitSeconds = 30;
    public const double MaxRoundLimitSeconds = 1800;

    private const string Section = HeadlessRunSettings.SectionName;
    private const string Usage = "dotnet run --project VokeTag.AppHost -- Chaos:GameDay=all Chaos:Rounds=2 Chaos:RoundLimitSeconds=300";
    private static readonly string[] PhaseKeys = ["BaselineSeconds", "RecoverySeconds", "SustainSeconds"];
    private static readonly string[] GameDayOnlyKeys = ["GameDay", "Rounds", "Hidden", "RoundLimitSeconds", "Seed"];
    private static readonly string[] LabKeys = ["RunsDirectory", "Experiments"];

    private static IEnumerable<string> AllowedKeys => GameDayOnlyKeys.Concat(PhaseKeys).Concat(LabKeys);

    /// <returns>Null when <c>Chaos:GameDay</c> is not set: no game day from the command line.</returns>
    /// <exception cref="LabSetupException">A key is unknown, a value out of range, a scenario unknown, or <c>Chaos:Run</c> is set too.</exception>
    /// <param name="appHostDirectory">Where the experiments folder is found when <c>Chaos:Experiments</c> does not say.</param>
    public static GameDaySettings? Read(IConfiguration configuration, string appHostDirectory)
    {
        var section = configuration.GetSection(Section);
        if (section["GameDay"] is not { } pool)
        {
            RefuseGameDayKeysAlone(section);
            return null;
        }

        if (section["Run"] is not null)
        {
            throw new LabSetupException($"{Section}:Run and {Setting} were both given; a lab plays a game day or runs experiments, not both at once.",
                "drop one: dotnet run --project VokeTag.AppHost -- Chaos:GameDay=all (people play) or -- Chaos:Run=all (a CI run)");
        }

        if (section.GetChildren().Select(child => child.Key).FirstOrDefault(key => !AllowedKeys.Contains(key, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            throw new LabSetupException(
                $"{Section}:{unknown} is not a setting of a game day; allowed: {string.Join(", ", AllowedKeys.Select(key => $"{Section}:{key}"))}.", Usage);
        }

        var scenarios = pool.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (scenarios.Length == 0)
        {
            throw new LabSetupException($"{Setting} is empty; name the scenario pool (experiment names, comma-separated) or 'all'.", Usage);
        }

        CheckScenarios(scenarios, ExperimentFilesCommand.Folder(configuration, appHostDirectory));
        return new GameDaySettings(
            scenarios.Contains("all") ? ["all"] : [.. scenarios.Distinct()],
            Integer(section, "Rounds", 1, MaxRounds, example: DefaultRounds) ?? DefaultRounds,
            Flag(section, "Hidden", defaultValue: true),
            Seconds(section, "RoundLimitSeconds", MinRoundLimitSeconds, MaxRoundLimitSeconds) ?? DefaultRoundLimitSeconds,
            Integer(section, "Seed", int.MinValue, int.MaxValue, example: 1),
            PhaseKeys.Where(key => section[key] is not null)
                .ToDictionary(key => char.ToLowerInvariant(key[0]) + key[1..], key => Seconds(section, key, 0, double.MaxValue)!.Value));
    }

    /// <summary>The body of the worker's <c>POST /gamedays</c>.</summary>
    public Dictionary<string, object> RequestBody()
    {
        var body = Phases.ToDictionary(pair => pair.Key, pair => (object)pair.Value);
        body["scenarios"] = Scenarios;
        body["rounds"] = Rounds;
        body["hidden"] = Hidden;
        body["roundLimitSeconds"] = RoundLimitSeconds;
        if (Seed is { } seed)
        {
            body["seed"] = seed;
        }

        return body;
    }

    /// <summary>A game day plays the lab's own experiment files by name: no paths, no Chaos Toolkit files, no broken files.</summary>
    private static void CheckScenarios(IReadOnlyList<string> scenarios, string folder)
    {
        var catalog = ExperimentFolder.Read(folder, ExperimentFilesCommand.Shown);
        var playable = catalog.Where(result => result.Definition is not null).Select(result => result.Name!).Order().ToList();
        var allowed = $"allowed: {string.Join(", ", playable)}, or 'all' (the experiment files in {ExperimentFilesCommand.Shown(folder)}{Path.DirectorySeparatorChar})";
        var problems = new List<string>();
        foreach (var name in scenarios.Where(name => name != "all"))
        {
            if (playable.Contains(name))
            {
                continue;
            }

            var file = catalog.FirstOrDefault(result => result.Name == name || Path.GetFileNameWithoutExtension(result.File) == name);
            problems.Add(file switch
            {
                _ when ExperimentFileReader.IsFilePath(name) =>
                    $"'{name}' is a path; a game day plays experiments by name (put the file in the experiments folder, or point {ExperimentFilesCommand.FolderSetting} at its folder); {allowed}.",
                { Toolkit: not null } => $"'{name}' is a Chaos Toolkit file; a game day plays the lab's own experiment files; {allowed}.",
                { IsValid: false } => $"'{name}' cannot run: {string.Join(" ", file.Problems)}",
                _ => $"'{name}' is not an experiment; {allowed}.",
            });
        }

        if (problems.Count > 0)
        {
            throw new LabSetupException($"{Setting}: {string.Join(" ", problems)}",
                $"dotnet run --project VokeTag.AppHost -- {Setting}=all (Chaos:List=true shows each experiment; Chaos:Validate=<file> says why a file cannot run)");
        }
    }

    /// <summary>Chaos:Rounds and the like without Chaos:GameDay would be ignored silently; say so instead.</summary>
    private static void RefuseGameDayKeysAlone(IConfigurationSection section)
    {
        if (GameDayOnlyKeys.FirstOrDefault(key => section[key] is not null) is { } stray)
        {
            throw new LabSetupException($"{Section}:{stray} is a setting of a game day, and {Setting} is not set.", Usage);
        }
    }

    private static int? Integer(IConfigurationSection section, string key, int min, int max, int example) => section[key] switch
    {
        null => null,
        var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
        var text => throw new LabSetupException(
            $"{Section}:{key} is '{text}'; allowed: " + (min == int.MinValue ? "a whole number." : $"a whole number from {min} to {max}."),
            $"dotnet run --project VokeTag.AppHost -- Chaos:GameDay=all {Section}:{key}={example}"),
    };

    private static double? Seconds(IConfigurationSection section, string key, double min, double max) => section[key] switch
    {
        null => null,
        var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) && value > 0 && value >= min && value <= max => value,
        var text => throw new LabSetupException(
            $"{Section}:{key} is '{text}'; allowed: " + (max == double.MaxValue ? "a number of seconds above 0 (e.g. 20 or 2.5)." : $"seconds from {min:0} to {max:0}."),
            $"dotnet run --project VokeTag.AppHost -- Chaos:GameDay=all {Section}:{key}={(max == double.MaxValue ? 20 : min):0}"),
    };

    private static bool Flag(IConfigurationSection section, string key, bool defaultValue) => section[key] switch
    {
        null => defaultValue,
        var text when bool.TryParse(text, out var value) => value,
        var text => throw new LabSetupException($"{Section}:{key} is '{text}'; allowed: true, false.", $"dotnet run --project VokeTag.AppHost -- Chaos:GameDay=all {Section}:{key}=false"),
    };
}
