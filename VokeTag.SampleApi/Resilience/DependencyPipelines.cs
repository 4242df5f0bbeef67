using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using VokeTag.SampleApi.Chaos;

namespace VokeTag.SampleApi.Resilience;

/// <summary>
/// The Polly v8 pipelines around Redis and PostgreSQL: a circuit breaker outside a timeout, so that timeouts count
/// as failures, and innermost the lab's <see cref="CallChaos"/> strategies (off unless the lab's chaos hook sets a
/// fault). Registered once through DI; the data-access classes reach them through <see cref="DependencyGuard"/>.
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
        services.AddHttpContextAccessor();
        services.AddSingleton<CallChaos>();
        foreach (var dependency in Enum.GetValues<Dependency>())
        {
            services.AddResiliencePipeline(dependency.PipelineName(), (pipeline, context) =>
            {
                var policy = context.ServiceProvider.GetRequiredService<IOptions<ResilienceSettings>>().Value.For(dependency);
                var states = context.ServiceProvider.GetRequiredService<CircuitStates>();
                pipeline.AddDependencyStrategies(policy, states.ProviderFor(dependency), reason => states.RecordOpened(dependency, reason));
                context.ServiceProvider.GetRequiredService<CallChaos>().AddStrategies(pipeline, dependency);
            });
            services.AddKeyedSingleton(dependency, (provider, _) => new DependencyGuard(
                dependency,
                provider.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(dependency.PipelineName()),
                provider.GetRequiredService<IOptions<ResilienceSettings>>().Value.For(dependency).BreakDuration,
                OnConnectionBroken(dependency, provider),
                cancellingBlocks: dependency == Dependency.Postgres));
        }

        return services;
    }

    public static ResiliencePipelineBuilder AddDependencyStrategies(
        this ResiliencePipelineBuilder pipeline, DependencyPolicy policy, CircuitBreakerStateProvider stateProvider, Action<string>? onOpened = null)
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
                OnOpened = args =>
                {
                    onOpened?.Invoke(args.Outcome.Exception is { } exception
                        ? DependencyFailures.Classify(exception, CancellationToken.None)?.Reason ?? exception.GetType().Name
                        : "a result");
                    return ValueTask.CompletedTask;
                },
                // Only outages count: a request whose own data the server refused says nothing about the server.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } exception && IsOutage(exception, args.Context.CancellationToken)),
            });
        }

        return policy.UseTimeout ? pipeline.AddTimeout(policy.Timeout) : pipeline;
    }

    /// <summary>
    /// After a PostgreSQL restart every pooled connection is dead; dropping them all on the first failure costs one
    /// failed request instead of one per pooled connection. Redis reconnects by itself.
    /// </summary>
    private static Action? OnConnectionBroken(Dependency dependency, IServiceProvider provider) => dependency switch
    {
        Dependency.Postgres => provider.GetRequiredService<NpgsqlDataSource>().Clear,
        _ => null,
    };

    /// <summary>Failures that say "the dependency is not answering or cannot take more"; see <see cref="DependencyFailures"/>.</summary>
    /// <param name="callerToken">The caller's token: a cancellation it requested is the caller's, not a failure.</param>
    public static bool IsOutage(Exception exception, CancellationToken callerToken) =>
        DependencyFailures.Classify(exception, callerToken)?.Kind == FailureKind.Outage;
}
