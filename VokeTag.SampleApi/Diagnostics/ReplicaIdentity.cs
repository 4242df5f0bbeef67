namespace VokeTag.SampleApi.Diagnostics;

/// <summary>Which replica answered: Aspire gives each replica its own OTEL_SERVICE_INSTANCE_ID (else the pid).</summary>
public static class ReplicaIdentity
{
    public const string Header = "X-Replica";

    public static readonly string Current =
        Environment.GetEnvironmentVariable("OTEL_SERVICE_INSTANCE_ID") ?? $"pid-{Environment.ProcessId}";

    /// <summary>Every response names its replica, so a client can see how traffic spreads over the replicas.</summary>
    public static IApplicationBuilder UseReplicaHeader(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // At the last moment: the exception handler clears headers set earlier when it writes a problem.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[Header] = Current;
            return Task.CompletedTask;
        });
        return next(context);
    });
}
