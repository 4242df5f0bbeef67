using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;
using StackExchange.Redis;
using System.Net.Sockets;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// The Polly v8 pipelines around Redis and PostgreSQL: a circuit breaker outside a timeout, so that timeouts count
/// as failures. Registered once through DI; the data-access classes reach them through <see cref="DependencyGuard"/>.
/// </summary>
public static class DependencyPipelines
{
    public static IServiceCollection AddDependencyPipelines(this IServiceCollection services)
    {
        services.AddOptions<ResilienceSettings>()
            .BindConfiguration(ResilienceSettings.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ResilienceSettings>, ResilienceSettings.Validator>();

        services.AddSingleton<CircuitStates>();
        foreach (var dependency in Enum.GetValues<Dependency>())
        {
            services.AddResiliencePipeline(dependency.PipelineName(), (pipeline, context) =>
            {
                var policy = context.ServiceProvider.GetRequiredService<IOptions<ResilienceSettings>>().Value.For(dependency);
                var states = context.ServiceProvider.GetRequiredService<CircuitStates>();
                pipeline.AddDependencyStrategies(policy, states.ProviderFor(dependency));
            });
            services.AddKeyedSingleton(dependency, (provider, _) => new DependencyGuard(
                dependency,
                provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(dependency.PipelineName()),
                provider.GetRequiredService<IOptions<ResilienceSettings>>().Value.For(dependency).BreakDuration,
                OnFailure(dependency, provider)));
        }

        return services;
    }

    public static ResiliencePipelineBuilder AddDependencyStrategies(
        this ResiliencePipelineBuilder pipeline, DependencyPolicy policy, CircuitBreakerStateProvider stateProvider)
    {
        if (policy.UseCircuitBreaker)
        {
            pipeline.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = policy.FailureRatio,
                MinimumThroughput = policy.MinimumThroughput,
                SamplingDuration = policy.SamplingDuration,
                BreakDuration = policy.BreakDuration,
                StateProvider = stateProvider,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && IsDependencyFailure(exception, args.Context.CancellationToken)),
            });
        }

        return policy.UseTimeout ? pipeline.AddTimeout(policy.Timeout) : pipeline;
    }

    /// <summary>
    /// After a PostgreSQL restart every pooled connection is dead; dropping them all on the first failure costs one
    /// failed request instead of one per pooled connection. Redis reconnects by itself.
    /// </summary>
    private static Action? OnFailure(Dependency dependency, IServiceProvider provider) => dependency switch
    {
        Dependency.Postgres => provider.GetRequiredService<NpgsqlDataSource>().Clear,
        _ => null,
    };

    /// <summary>
    /// Failures that say "the dependency is not answering", as opposed to a caller that went away. A cancellation
    /// nobody asked for counts too: StackExchange.Redis cancels the commands in flight when its connection breaks.
    /// </summary>
    /// <param name="callerToken">The caller's token: a cancellation it requested is the caller's, not a failure.</param>
    public static bool IsDependencyFailure(Exception exception, CancellationToken callerToken) => exception is
        TimeoutRejectedException or BrokenCircuitException or NpgsqlException or RedisException
        or SocketException or IOException or TimeoutException
        || (exception is OperationCanceledException && !callerToken.IsCancellationRequested);
}
