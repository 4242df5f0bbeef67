namespace VokeTag.SampleApi.Chaos;

/// <summary>
/// A replica the lab redeployed with changed settings (a bad deploy, a configuration error). Aspire sets one environment
/// for every replica of a resource, so the lab gives each replica its own id (<c>Lab:Instance</c>, filled in per replica
/// by Aspire's orchestrator) and the settings meant for one replica under <c>Lab:Redeploy:&lt;id&gt;</c>; the replica that
/// finds its id there starts with those settings on top of its own. The lab restarts the replica to apply them and
/// again without them to roll back, so the process really starts misconfigured, as after a bad deploy. Every answer of
/// such a replica carries <see cref="CallChaos.Header"/> <c>redeploy-&lt;setting&gt;</c>, so a run measures the share of
/// requests the bad replica served.
/// </summary>
public static class RedeployedSettings
{
    public const string InstanceSetting = "Lab:Instance";
    public const string Section = "Lab:Redeploy";

    /// <summary>Puts this replica's redeployed settings on top of its configuration.</summary>
    /// <returns>The name of the setting it was redeployed with (e.g. <c>wrong-postgres-password</c>), or null.</returns>
    public static string? Apply(ConfigurationManager configuration)
    {
        if (configuration[InstanceSetting] is not { Length: > 0 } instance
            || configuration.GetSection($"{Section}:{instance}") is not { } mine
            || mine["Name"] is not { Length: > 0 } name)
        {
            return null;
        }

        configuration.AddInMemoryCollection(mine.GetSection("Settings").AsEnumerable(makePathsRelative: true)
            .Where(pair => pair.Value is not null));
        return name;
    }

    /// <summary>Marks every request a redeployed replica takes, beside what call faults mark (one header says both).</summary>
    public static IApplicationBuilder UseRedeployedMark(this IApplicationBuilder app, string? redeployedWith) => redeployedWith is null
        ? app
        : app.Use((context, next) =>
        {
            CallChaos.MarkRequest(context, $"redeploy-{redeployedWith}");
            return next(context);
        });
}
