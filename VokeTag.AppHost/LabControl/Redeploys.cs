using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;

namespace VokeTag.AppHost.LabControl;

/// <summary>
/// Bad deploys: one replica of the API restarted with changed settings, and restarted with its own on rollback. Aspire
/// evaluates a resource's environment again each time it starts a replica, but for the resource, not the replica; so
/// every replica gets its own id (<c>Lab__Instance</c>, a template Aspire's orchestrator fills in per replica, as it does
/// for OpenTelemetry's instance id) and the changed settings under <c>Lab__Redeploy__&lt;id&gt;__…</c>; the API applies
/// the ones under its own id (<c>RedeployedSettings</c>). Only a restart applies or lifts them, as with a real deploy,
/// and a replica that crashes meanwhile comes back with the same bad settings until the rollback.
/// </summary>
public sealed class Redeploys
{
    /// <summary>Aspire's per-replica id, which the API's <c>Lab:Instance</c> receives.</summary>
    private const string InstanceTemplate = "{{- index .Annotations \"otel-service-instance-id\" -}}";

    private readonly ConcurrentDictionary<string, Redeploy> _byInstance = new();

    /// <summary>The settings a redeploy can break (the experiment files' vocabulary), each what a real bad deploy could ship.</summary>
    public static IReadOnlyList<string> Settings => VokeTag.Experiments.FaultKinds.RedeploySettings;

    public IReadOnlyCollection<Redeploy> Active => [.. _byInstance.Values];

    /// <summary>Gives every replica its id and the settings redeployed to each; call from the API's environment callback.</summary>
    public void WriteEnvironment(IDictionary<string, object> environment)
    {
        environment["Lab__Instance"] = InstanceTemplate;
        foreach (var redeploy in _byInstance.Values)
        {
            environment[$"Lab__Redeploy__{redeploy.ReplicaId}__Name"] = redeploy.Setting;
            foreach (var (key, value) in redeploy.Settings)
            {
                environment[$"Lab__Redeploy__{redeploy.ReplicaId}__Settings__{key.Replace(":", "__", StringComparison.Ordinal)}"] = value;
            }
        }
    }

    public void Set(Redeploy redeploy) => _byInstance[redeploy.Instance] = redeploy;

    /// <returns>False when that replica had no redeploy.</returns>
    public bool Remove(string instance) => _byInstance.TryRemove(instance, out _);

    /// <summary>
    /// The settings that break <paramref name="setting"/>, built from the API's real connection strings, or null for an
    /// unknown setting.
    /// </summary>
    public static IReadOnlyDictionary<string, string>? SettingsFor(string setting, string postgres, string redis) => setting switch
    {
        "wrong-postgres-password" => new Dictionary<string, string>
        {
            ["ConnectionStrings:voketag"] = With(postgres, "Password", $"wrong-{Convert.ToHexString(RandomNumberGenerator.GetBytes(4))}"),
        },
        // The port no server listens on: every connection is refused at once, as with a typo in a deployed host name.
        "broken-redis-connection" => new Dictionary<string, string>
        {
            ["ConnectionStrings:cache"] = string.Join(',', redis.Split(',').Select((part, index) => index == 0 ? "127.0.0.1:1" : part)),
        },
        "pool-size-1" => new Dictionary<string, string> { ["ConnectionStrings:voketag"] = With(postgres, "Maximum Pool Size", "1") },
        "resilience-off" => new Dictionary<string, string>
        {
            ["Resilience:RedisFallback"] = "false",
            ["Resilience:Redis:UseCircuitBreaker"] = "false",
            ["Resilience:Postgres:UseCircuitBreaker"] = "false",
            ["Resilience:Redis:UseTimeout"] = "false",
            ["Resilience:Postgres:UseTimeout"] = "false",
        },
        _ => null,
    };

    private static string With(string connectionString, string key, string value)
    {
        var builder = new DbConnectionStringBuilder { ConnectionString = connectionString };
        builder[key] = value;
        return builder.ConnectionString;
    }

    /// <param name="ReplicaId">Aspire's id of the replica (its resource name without the <c>api-</c> prefix).</param>
    /// <param name="Instance">The replica as the dashboard names it, e.g. <c>api-abcd1234</c>.</param>
    public sealed record Redeploy(string Instance, string ReplicaId, string Setting, IReadOnlyDictionary<string, string> Settings);
}
