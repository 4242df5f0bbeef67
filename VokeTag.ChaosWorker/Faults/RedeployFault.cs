using VokeTag.ChaosWorker.Api;
using VokeTag.ChaosWorker.Lab;

namespace VokeTag.ChaosWorker.Faults;

/// <summary>
/// A bad deploy: running replicas of the API (one by default, <paramref name="count"/>, or all) are restarted one after
/// another with a broken <paramref name="setting"/>, as a rolling deploy would, through the lab (Aspire restarts the
/// replica with that setting in its environment); rollback redeploys each with its own settings. Each step waits until
/// the new process answers, told apart by its replica id and the lab's mark on a redeployed replica's answers.
/// Records how many redeployed replicas answered their own readiness check unhealthy: does health show which is broken?
/// </summary>
/// <remarks>
/// Readiness is probed through the API's address, one new connection per probe, like a client: Aspire's own health
/// check goes through its proxy too, so its verdict for one replica may be another replica's answer.
/// </remarks>
public sealed class RedeployFault(LabControlClient lab, ApiChaosHooks api, string setting, TimeProvider time, int count = 1) : IFault
{
    public const string UnhealthyCount = "redeployed-unhealthy";

    /// <summary>How long a restarted replica may take to answer.</summary>
    private static readonly TimeSpan AnswerWait = TimeSpan.FromSeconds(60);

    /// <summary>How long a redeployed replica has to answer ready before it counts as unhealthy; a sound one needs a few seconds.</summary>
    private static readonly TimeSpan SettleWait = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly List<string> _redeployed = [];
    private readonly HashSet<string> _seenReplicas = [];
    private int? _unhealthy;

    public string Name => _redeployed.Count > 0
        ? $"redeploy {string.Join(", ", _redeployed)} with {setting}"
        : $"redeploy {(count == FaultDefinition.AllReplicas ? "every replica" : count == 1 ? "one replica" : $"{count} replicas")} with {setting}";

    public string Target => "api";

    public bool TakesTargetDown => true; // each replica restarts

    public IReadOnlyDictionary<string, double> Observations => _unhealthy is { } unhealthy
        ? new Dictionary<string, double> { [UnhealthyCount] = unhealthy }
        : new Dictionary<string, double>();

    public async Task InjectAsync(CancellationToken cancellationToken)
    {
        var running = (await lab.GetStateAsync(Target, cancellationToken)).Instances.Where(instance => instance.IsRunning).Select(instance => instance.Id).ToList();
        if (count != FaultDefinition.AllReplicas && running.Count < count)
        {
            throw new InvalidOperationException($"{Target} has {running.Count} running replica(s); the fault redeploys {count}.");
        }

        await ProbeUntilAsync(_ => _seenReplicas.Count >= running.Count, "every replica answering", AnswerWait, cancellationToken);
        var unhealthy = 0;
        foreach (var instance in running.Take(count))
        {
            _redeployed.Add(instance); // before the call: a failed or partial redeploy is still rolled back
            var before = _seenReplicas.ToHashSet();
            await lab.RedeployAsync(Target, instance, setting, cancellationToken);
            var redeployed = await ProbeUntilAsync(answer => !before.Contains(answer.Replica) && answer.Injected?.StartsWith("redeploy-", StringComparison.Ordinal) == true,
                $"{instance} answering with {setting}", AnswerWait, cancellationToken);
            if (await ProbeUntilOrNullAsync(answer => answer.Replica == redeployed.Replica && answer.Healthy, SettleWait, cancellationToken) is null)
            {
                unhealthy++;
            }
        }

        _unhealthy = unhealthy;
    }

    public async Task RollbackAsync(CancellationToken cancellationToken)
    {
        foreach (var instance in _redeployed)
        {
            var before = _seenReplicas.ToHashSet();
            await lab.RestoreAsync(Target, instance, cancellationToken);
            await ProbeUntilAsync(answer => !before.Contains(answer.Replica) && answer.Injected is null && answer.Healthy,
                $"{instance} answering healthy with its own settings", AnswerWait, cancellationToken);
        }
    }

    private async Task<HealthAnswer> ProbeUntilAsync(Func<HealthAnswer, bool> done, string description, TimeSpan timeout, CancellationToken cancellationToken) =>
        await ProbeUntilOrNullAsync(done, timeout, cancellationToken)
        ?? throw new TimeoutException($"{Target}: no {description} within {timeout.TotalSeconds:0} s.");

    private async Task<HealthAnswer?> ProbeUntilOrNullAsync(Func<HealthAnswer, bool> done, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < timeout)
        {
            if (await api.ProbeHealthAsync(cancellationToken) is { } answer)
            {
                _seenReplicas.Add(answer.Replica);
                if (done(answer))
                {
                    return answer;
                }
            }

            await Task.Delay(ProbeInterval, time, cancellationToken);
        }

        return null;
    }
}
