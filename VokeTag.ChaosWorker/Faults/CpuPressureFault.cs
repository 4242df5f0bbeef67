using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>Burns <paramref name="share"/> of every core inside the API's replicas (all, or <paramref name="replicas"/>) through its chaos hook.</summary>
public sealed class CpuPressureFault(ApiChaosHooks hooks, LabControlClient lab, double share, TimeSpan lasts, int replicas = FaultDefinition.AllReplicas)
    : ReplicaHookFault(lab, replicas)
{
    public override string Name => Replicas == FaultDefinition.AllReplicas && !Applied.Any()
        ? $"cpu {share:P0} of every core"
        : $"cpu {share:P0} of every core {OnWhich}";

    protected override TimeSpan Lasts => lasts;

    protected override async Task<string> ApplyOnceAsync(CancellationToken cancellationToken) =>
        (await hooks.PressCpuAsync(share, lasts, cancellationToken)).Replica;

    protected override async Task<string> LiftOnceAsync(CancellationToken cancellationToken) =>
        (await hooks.ReleaseCpuAsync(cancellationToken)).Replica;
}
