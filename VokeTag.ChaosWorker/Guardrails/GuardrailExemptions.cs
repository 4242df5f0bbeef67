using System.Collections.Concurrent;

namespace VokeTag.ChaosWorker.Guardrails;

/// <summary>
/// Windows in which guardrails look away from a resource that people took down on purpose (a game day's blue team
/// restarting it): the run must not abort for what the team did. While any window is open the load guardrails wait
/// too, since the restart's errors are the team's, not the fault's.
/// </summary>
public sealed class GuardrailExemptions(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _until = new();

    public void Grant(string resource, TimeSpan window) =>
        _until.AddOrUpdate(resource, time.GetUtcNow() + window, (_, until) => Max(until, time.GetUtcNow() + window));

    public bool Covers(string resource) => _until.TryGetValue(resource, out var until) && time.GetUtcNow() < until;

    public bool AnyOpen => _until.Values.Any(until => time.GetUtcNow() < until);

    private static DateTimeOffset Max(DateTimeOffset left, DateTimeOffset right) => left > right ? left : right;
}
