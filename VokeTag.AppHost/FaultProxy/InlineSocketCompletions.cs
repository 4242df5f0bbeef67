namespace VokeTag.AppHost.FaultProxy;

/// <summary>
/// <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> completes a socket read on the thread that polled it instead of
/// handing it to the thread pool: one thread wake-up less per read. The lab's instruments run with it, its subject
/// does not:
/// <list type="bullet">
/// <item>the fault proxies, in the AppHost (its launch profile sets it): measured side by side, one round, redis GET at
/// 1 connection through cache-proxy +152 µs → +40 µs over direct, proxy CPU 284 → 63 µs per GET;</item>
/// <item>the worker, whose load generator times each answer when the read completes, not when a pool thread gets to
/// it: measured side by side at wrk's paced rate (80/s), its p50 went from 1.22× to 1.01× of wrk's;</item>
/// <item>not the API: what the experiments measure of it is what it would be anywhere else, so it keeps the runtime's
/// default even though every process the lab starts inherits the AppHost's setting.</item>
/// </list>
/// </summary>
public static class InlineSocketCompletions
{
    public const string Variable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Socket completions on the thread pool in this resource, whatever the AppHost runs with.</summary>
    public static IResourceBuilder<T> WithDefaultSocketCompletions<T>(this IResourceBuilder<T> project)
        where T : IResourceWithEnvironment =>
        project.WithEnvironment(Variable, "0");

    /// <summary>Socket completions inline in this resource, whether the AppHost runs with them or not (tests do not).</summary>
    public static IResourceBuilder<T> WithInlineSocketCompletions<T>(this IResourceBuilder<T> project)
        where T : IResourceWithEnvironment =>
        project.WithEnvironment(Variable, "1");
}
