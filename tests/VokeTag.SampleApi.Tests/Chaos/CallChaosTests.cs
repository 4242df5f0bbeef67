using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using VokeTag.SampleApi.Chaos;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tests.Chaos;

public class CallChaosTests
{
    private static readonly DependencyPolicy Policy = Resilience.DependencyPipelineTests.Policy;

    private readonly FakeTimeProvider _time = new();
    private readonly HttpContextAccessor _requests = new();
    private readonly CallChaos _chaos;
    private readonly ResiliencePipeline _pipeline;

    public CallChaosTests()
    {
        _chaos = new CallChaos(_time, _requests);
        var builder = new ResiliencePipelineBuilder { TimeProvider = _time }.AddDependencyStrategies(Policy, new CircuitBreakerStateProvider());
        _pipeline = _chaos.AddStrategies(builder, Dependency.Redis).Build();
    }

    [Fact]
    public async Task With_no_fault_every_call_runs()
    {
        var calls = await CallManyAsync(50);

        Assert.Equal(50, calls.Ran);
        Assert.Empty(_chaos.Injected);
    }

    [Fact]
    public async Task An_error_fault_fails_calls_as_an_outage_and_counts_and_marks_them()
    {
        _chaos.Apply(Dependency.Redis, CallFaultKind.Error, share: 1, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        var request = new DefaultHttpContext();
        _requests.HttpContext = request;

        var failure = await Assert.ThrowsAsync<InjectedFaultException>(async () => await _pipeline.ExecuteAsync(_ => ValueTask.CompletedTask));

        Assert.Equal(FailureKind.Outage, DependencyFailures.Classify(failure, CancellationToken.None)!.Kind);
        Assert.Equal(1, _chaos.Injected[Dependency.Redis]);
        Assert.Equal("redis-error", CallChaos.InjectedInto(request));
    }

    [Fact]
    public async Task A_redeployed_replicas_mark_and_a_call_faults_mark_are_answered_together()
    {
        _chaos.Apply(Dependency.Redis, CallFaultKind.Error, share: 1, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        var request = new DefaultHttpContext();
        _requests.HttpContext = request;
        CallChaos.MarkRequest(request, "redeploy-pool-size-1"); // as the redeployed replica's middleware does

        await Assert.ThrowsAsync<InjectedFaultException>(async () => await _pipeline.ExecuteAsync(_ => ValueTask.CompletedTask));

        Assert.Equal("redeploy-pool-size-1,redis-error", CallChaos.InjectedInto(request));
    }

    [Fact]
    public async Task A_share_of_calls_is_hit_not_all_of_them()
    {
        _chaos.Apply(Dependency.Redis, CallFaultKind.Error, share: 0.2, TimeSpan.Zero, TimeSpan.FromMinutes(5));
        var chaosOnly = _chaos.AddStrategies(new ResiliencePipelineBuilder(), Dependency.Redis).Build(); // no breaker to open by chance

        var calls = await CallManyAsync(2_000, chaosOnly);

        // 400 expected; a binomial spread of ±60 is over three standard deviations (σ ≈ 18).
        Assert.InRange(calls.Failed, 340, 460);
        Assert.Equal(calls.Failed, _chaos.Injected[Dependency.Redis]);
    }

    [Fact]
    public async Task Injected_latency_beyond_the_timeout_ends_at_the_timeout_like_a_slow_server()
    {
        _chaos.Apply(Dependency.Redis, CallFaultKind.Latency, share: 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30));

        var call = _pipeline.ExecuteAsync(_ => ValueTask.CompletedTask).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    [Fact]
    public async Task A_fault_on_one_dependency_leaves_the_other_alone_and_ends_by_itself_at_its_deadline()
    {
        _chaos.Apply(Dependency.Postgres, CallFaultKind.Error, share: 1, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        _requests.HttpContext = new DefaultHttpContext();
        Assert.Equal(20, (await CallManyAsync(20)).Ran); // this pipeline is Redis's
        Assert.Null(CallChaos.InjectedInto(_requests.HttpContext));

        _chaos.Apply(Dependency.Redis, CallFaultKind.Error, share: 1, TimeSpan.Zero, TimeSpan.FromSeconds(30));
        Assert.Equal(0, (await CallManyAsync(20)).Ran);

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Empty(_chaos.Active);
        Assert.Equal(20, (await CallManyAsync(20)).Ran);
    }

    [Fact]
    public async Task Clear_lifts_every_fault_at_once()
    {
        _chaos.Apply(Dependency.Redis, CallFaultKind.Error, share: 1, TimeSpan.Zero, TimeSpan.FromSeconds(30));

        _chaos.Clear();

        Assert.Equal(20, (await CallManyAsync(20)).Ran);
    }

    [Theory]
    [InlineData("redis", "error", 0.05, null, 30.0, null)]
    [InlineData("postgres", "latency", 1.0, 1000.0, 30.0, null)]
    [InlineData("cache", "error", 0.05, null, 30.0, "dependency is 'cache'; allowed: redis, postgres.")]
    [InlineData("redis", "slow", 0.05, null, 30.0, "kind is 'slow'; allowed: error, latency.")]
    [InlineData("redis", "error", 0.0, null, 30.0, "share is 0; allowed: above 0 up to 1 (the share of calls to hit).")]
    [InlineData("redis", "error", 5.0, null, 30.0, "share is 5; allowed: above 0 up to 1 (the share of calls to hit).")]
    [InlineData("redis", "latency", 0.5, null, 30.0, "latencyMs is missing; allowed for latency: 1 to 60000.")]
    [InlineData("redis", "error", 0.5, 100.0, 30.0, "latencyMs is set; allowed only with kind latency.")]
    [InlineData("redis", "error", 0.5, null, 601.0, "durationSeconds is 601; allowed: above 0 up to 600.")]
    [InlineData(null, "error", 0.5, null, null, "dependency is missing; allowed: redis, postgres.")]
    public void The_hook_request_names_each_bad_field(string? dependency, string? kind, double? share, double? latencyMs, double? seconds, string? problem)
    {
        var problems = new CallFaultRequest(dependency, kind, share, latencyMs, seconds).Validate().ToList();

        if (problem is null)
        {
            Assert.Empty(problems);
        }
        else
        {
            Assert.Equal(problem, problems[0]);
        }
    }

    private async Task<(int Ran, int Failed)> CallManyAsync(int count, ResiliencePipeline? pipeline = null)
    {
        var (ran, failed) = (0, 0);
        for (var i = 0; i < count; i++)
        {
            try
            {
                await (pipeline ?? _pipeline).ExecuteAsync(_ => { ran++; return ValueTask.CompletedTask; });
            }
            catch (Exception exception) when (exception is InjectedFaultException or BrokenCircuitException)
            {
                failed++;
            }
        }

        return (ran, failed);
    }
}
