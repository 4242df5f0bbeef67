using Microsoft.Extensions.Configuration;

namespace VokeTag.AppHost.Lab;

/// <summary>
/// <c>Lab:Weakened=true</c>: the lab with the reference API stripped of the protections the experiments check — no
/// Redis fallback, no database breaker, no timeouts, no load shedding, scans acknowledged before they are committed —
/// and without the restart of crashed replicas. Every built-in experiment must fail against it; the tests and the
/// stability benchmark prove that, and a workshop can show what each protection is worth. A setting given
/// explicitly (e.g. <c>Lab:Api:LoadShedding:Enabled=true</c>) still wins.
/// </summary>
public static class WeakenedLab
{
    public const string Setting = "Lab:Weakened";

    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["Lab:Api:Resilience:RedisFallback"] = "false",
        ["Lab:Api:Resilience:Postgres:UseCircuitBreaker"] = "false",
        ["Lab:Api:Resilience:Redis:UseTimeout"] = "false",
        ["Lab:Api:Resilience:Postgres:UseTimeout"] = "false",
        ["Lab:Api:LoadShedding:Enabled"] = "false",
        ["Lab:Api:Scans:AcknowledgeBeforeCommit"] = "true",
        ["Lab:RestartCrashed"] = "false",
    };

    /// <returns>True when the lab runs weakened.</returns>
    /// <exception cref="LabSetupException">The setting is not true or false.</exception>
    public static bool Apply(IConfigurationManager configuration)
    {
        var weakened = configuration[Setting] switch
        {
            null or "" => false,
            var text when bool.TryParse(text, out var value) => value,
            var text => throw new LabSetupException($"{Setting} is '{text}'; allowed values: true, false.",
                $"dotnet run --project VokeTag.AppHost -- {Setting}=true"),
        };
        if (weakened)
        {
            configuration.AddInMemoryCollection(Settings
                .Where(setting => configuration[setting.Key] is null)
                .Select(setting => KeyValuePair.Create(setting.Key, (string?)setting.Value)));
        }

        return weakened;
    }
}
