namespace VokeTag.Experiments.Kubernetes.Litmus;

/// <summary>
/// The Litmus faults the export uses, as ChaosExperiment resources: what the chaos-runner starts for each (the
/// go-runner image and its <c>-name</c>), the permissions its pods need, and its defaults, as Litmus's chaos-charts
/// 3.28.0 publish them (faults/kubernetes/&lt;fault&gt;/fault.yaml). A ChaosEngine names one of these.
/// </summary>
public static class LitmusFaultKinds
{
    public const string PodDelete = "pod-delete";
    public const string NetworkLatency = "pod-network-latency";
    public const string NetworkLoss = "pod-network-loss";
    public const string CpuHog = "pod-cpu-hog";

    public const string Version = "3.28.0";
    public const string Image = $"litmuschaos/go-runner:{Version}";

    /// <summary>Where the helper pods reach the container runtime; containerd's defaults, as the charts ship them.</summary>
    public static readonly IReadOnlyList<(string Name, string Value)> RuntimeSocket =
        [("CONTAINER_RUNTIME", "containerd"), ("SOCKET_PATH", "/run/containerd/containerd.sock")];

    private static readonly Dictionary<string, (string Description, IReadOnlyList<(string Name, string Value)> Defaults)> Kinds = new()
    {
        [PodDelete] = ("Deletes a pod belonging to a deployment/statefulset/daemonset",
            [("TOTAL_CHAOS_DURATION", "15"), ("RAMP_TIME", ""), ("FORCE", "true"), ("CHAOS_INTERVAL", "5"), ("PODS_AFFECTED_PERC", ""),
             ("TARGET_CONTAINER", ""), ("TARGET_PODS", ""), ("DEFAULT_HEALTH_CHECK", "false"), ("NODE_LABEL", ""), ("SEQUENCE", "parallel")]),
        [NetworkLatency] = ("Injects network latency on pods belonging to an app deployment",
            [("TARGET_CONTAINER", ""), ("NETWORK_INTERFACE", "eth0"), ("LIB_IMAGE", Image), ("TC_IMAGE", "gaiadocker/iproute2"),
             ("NETWORK_LATENCY", "2000"), ("TOTAL_CHAOS_DURATION", "60"), ("RAMP_TIME", ""), ("JITTER", "0"), ("PODS_AFFECTED_PERC", ""),
             ("TARGET_PODS", ""), .. RuntimeSocket, ("DEFAULT_HEALTH_CHECK", "false"), ("DESTINATION_IPS", ""), ("DESTINATION_HOSTS", ""),
             ("NODE_LABEL", ""), ("SEQUENCE", "parallel")]),
        [NetworkLoss] = ("Injects network packet loss on pods belonging to an app deployment",
            [("TARGET_CONTAINER", ""), ("LIB_IMAGE", Image), ("NETWORK_INTERFACE", "eth0"), ("TC_IMAGE", "gaiadocker/iproute2"),
             ("NETWORK_PACKET_LOSS_PERCENTAGE", "100"), ("TOTAL_CHAOS_DURATION", "60"), ("RAMP_TIME", ""), ("PODS_AFFECTED_PERC", ""),
             ("DEFAULT_HEALTH_CHECK", "false"), ("TARGET_PODS", ""), ("NODE_LABEL", ""), .. RuntimeSocket, ("DESTINATION_IPS", ""),
             ("DESTINATION_HOSTS", ""), ("SEQUENCE", "parallel")]),
        [CpuHog] = ("Injects CPU consumption on pods belonging to an app deployment",
            [("TOTAL_CHAOS_DURATION", "60"), ("CPU_CORES", "1"), ("CPU_LOAD", "100"), ("PODS_AFFECTED_PERC", ""), ("RAMP_TIME", ""),
             ("LIB_IMAGE", Image), ("STRESS_IMAGE", "alexeiled/stress-ng:latest-ubuntu"), .. RuntimeSocket, ("TARGET_CONTAINER", ""),
             ("TARGET_PODS", ""), ("DEFAULT_HEALTH_CHECK", "false"), ("NODE_LABEL", ""), ("SEQUENCE", "parallel")]),
    };

    /// <summary>
    /// What the chaos-runner, the experiment pods and their helpers may do in the namespace: the same for the four faults
    /// (and the chaos ServiceAccount's Role, which the runner hands on).
    /// </summary>
    public static IReadOnlyList<ManifestMap> Permissions() =>
    [
        Rule([""], ["pods"], ["create", "delete", "get", "list", "patch", "update", "deletecollection"]),
        Rule([""], ["events"], ["create", "get", "list", "patch", "update"]),
        Rule([""], ["configmaps"], ["get", "list"]),
        Rule([""], ["pods/log"], ["get", "list", "watch"]),
        Rule([""], ["pods/exec"], ["get", "list", "create"]),
        Rule(["apps"], ["deployments", "statefulsets", "replicasets", "daemonsets"], ["list", "get"]),
        Rule(["apps.openshift.io"], ["deploymentconfigs"], ["list", "get"]),
        Rule([""], ["replicationcontrollers"], ["get", "list"]),
        Rule(["argoproj.io"], ["rollouts"], ["list", "get"]),
        Rule(["batch"], ["jobs"], ["create", "list", "get", "delete", "deletecollection"]),
        Rule(["litmuschaos.io"], ["chaosengines", "chaosexperiments", "chaosresults"], ["create", "list", "get", "patch", "update", "delete"]),
    ];

    /// <summary>The ChaosExperiment resource of <paramref name="fault"/> in the lab's namespace.</summary>
    public static ManifestMap ChaosExperiment(string fault)
    {
        var (description, defaults) = Kinds[fault];
        return new ManifestMap
        {
            ["apiVersion"] = "litmuschaos.io/v1alpha1",
            ["kind"] = "ChaosExperiment",
            ["description"] = new ManifestMap { ["message"] = description },
            ["metadata"] = new ManifestMap
            {
                ["name"] = fault,
                ["namespace"] = LabTopology.Namespace,
                ["labels"] = Labels(fault, "chaosexperiment"),
            },
            ["spec"] = new ManifestMap
            {
                ["definition"] = new ManifestMap
                {
                    ["scope"] = "Namespaced",
                    ["permissions"] = Permissions(),
                    ["image"] = Image,
                    ["imagePullPolicy"] = "IfNotPresent",
                    ["args"] = new[] { "-c", $"./experiments -name {fault}" },
                    ["command"] = new[] { "/bin/bash" },
                    ["env"] = Env(defaults),
                    ["labels"] = Labels(fault, "experiment-job"),
                },
            },
        };
    }

    public static List<ManifestMap> Env(IEnumerable<(string Name, string Value)> variables) =>
        [.. variables.Select(variable => new ManifestMap { ["name"] = variable.Name, ["value"] = variable.Value })];

    private static ManifestMap Labels(string fault, string component) => new()
    {
        ["name"] = fault,
        ["app.kubernetes.io/part-of"] = "litmus",
        ["app.kubernetes.io/component"] = component,
        ["app.kubernetes.io/version"] = Version,
    };

    private static ManifestMap Rule(string[] apiGroups, string[] resources, string[] verbs) => new()
    {
        ["apiGroups"] = apiGroups,
        ["resources"] = resources,
        ["verbs"] = verbs,
    };
}
