namespace VokeTag.Experiments.Kubernetes;

/// <summary>
/// Redis and PostgreSQL as the lab's container mode runs them, as StatefulSets of one pod: the official images, Redis
/// with a password and nothing on disk (a cache starts empty after a restart), PostgreSQL with its data on a volume
/// (a restart or a deleted pod loses no acknowledged scan).
/// </summary>
public static class StoreManifests
{
    public static ManifestMap Redis()
    {
        var redis = LabTopology.Redis;
        return StatefulSet(redis, new ManifestMap
        {
            ["name"] = redis.Name,
            ["image"] = "redis",
            ["args"] = new[] { "--requirepass", $"$({Workloads.RedisPasswordKey})", "--save", "", "--appendonly", "no" },
            ["env"] = new[] { Workloads.Secret(Workloads.RedisPasswordKey) },
            ["ports"] = new[] { Workloads.Port("redis", redis.Port) },
            ["readinessProbe"] = TcpCheck("redis", 5),
            ["livenessProbe"] = TcpCheck("redis", 10),
            ["resources"] = Workloads.Resources("100m", "64Mi", "500m", "256Mi"),
        }, volumeClaim: null);
    }

    public static ManifestMap Postgres()
    {
        var postgres = LabTopology.Postgres;
        var ready = new[] { "pg_isready", "-U", "postgres", "-d", "voketag" };
        return StatefulSet(postgres, new ManifestMap
        {
            ["name"] = postgres.Name,
            ["image"] = "postgres",
            ["env"] = new[] { Workloads.Secret(Workloads.PostgresPasswordKey), Workloads.Env("POSTGRES_DB", "voketag") },
            ["ports"] = new[] { Workloads.Port("postgres", postgres.Port) },
            ["readinessProbe"] = new ManifestMap { ["exec"] = new ManifestMap { ["command"] = ready }, ["periodSeconds"] = 5 },
            ["livenessProbe"] = new ManifestMap { ["exec"] = new ManifestMap { ["command"] = ready }, ["periodSeconds"] = 10, ["failureThreshold"] = 6 },
            // Where the official image keeps its data from 18.x on.
            ["volumeMounts"] = new[] { new ManifestMap { ["name"] = "data", ["mountPath"] = "/var/lib/postgresql" } },
            ["resources"] = Workloads.Resources("250m", "256Mi", "1", "1Gi"),
        }, volumeClaim: new ManifestMap
        {
            ["metadata"] = new ManifestMap { ["name"] = "data" },
            ["spec"] = new ManifestMap
            {
                ["accessModes"] = new[] { "ReadWriteOnce" },
                ["resources"] = new ManifestMap { ["requests"] = new ManifestMap { ["storage"] = "1Gi" } },
            },
        });
    }

    private static ManifestMap StatefulSet(LabWorkload workload, ManifestMap container, ManifestMap? volumeClaim) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "StatefulSet",
        ["metadata"] = Workloads.Metadata(workload.Name, Workloads.Labels(workload)),
        ["spec"] = new ManifestMap
        {
            ["serviceName"] = workload.Name,
            ["replicas"] = workload.Replicas,
            ["selector"] = Workloads.Selector(workload),
            ["template"] = new ManifestMap
            {
                ["metadata"] = new ManifestMap { ["labels"] = Workloads.Labels(workload) },
                ["spec"] = new ManifestMap { ["containers"] = new[] { container } },
            },
            ["volumeClaimTemplates"] = volumeClaim is null ? null : new[] { volumeClaim },
        },
    };

    private static ManifestMap TcpCheck(string port, int periodSeconds) => new()
    {
        ["tcpSocket"] = new ManifestMap { ["port"] = port },
        ["periodSeconds"] = periodSeconds,
    };
}
