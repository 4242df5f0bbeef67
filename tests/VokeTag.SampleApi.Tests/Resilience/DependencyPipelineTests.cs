using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tests.Resilience;

public class DependencyPipelineTests
{
    /// <summary>The policy these tests and the chaos strategies' tests build pipelines with.</summary>
    internal static readonly DependencyPolicy Policy = new()
    {
        Timeout = TimeSpan.FromMilliseconds(200),
        FailureRatio = 0.5,
        MinimumThroughput = 5,
        SamplingDuration = TimeSpan.FromSeconds(10),
        BreakDuration = TimeSpan.FromSeconds(5),
    };

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline _pipeline;

    public DependencyPipelineTests()
    {
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddDependencyStrategies(Policy, _circuit)
            .Build();
    }

    [Fact]
    public async Task A_call_slower_than_the_timeout_is_abandoned_at_the_timeout()
    {
        var call = _pipeline.ExecuteAsync(async token => await Task.Delay(Timeout.Infinite, token), CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(199));
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var timeout = await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
        Assert.Equal(Policy.Timeout, timeout.Timeout);
    }

    [Fact]
    public async Task The_circuit_opens_after_the_failure_threshold_and_then_rejects_without_calling()
    {
        for (var i = 0; i < Policy.MinimumThroughput; i++)
        {
            await Assert.ThrowsAsync<SocketException>(() => FailAsync(new SocketException((int)SocketError.ConnectionRefused)));
        }

        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
        var called = false;
        await Assert.ThrowsAsync<BrokenCircuitException>(async () =>
            await _pipeline.ExecuteAsync(_ => { called = true; return ValueTask.CompletedTask; }));
        Assert.False(called);
    }

    [Fact]
    public async Task Timeouts_count_as_failures()
    {
        for (var i = 0; i < Policy.MinimumThroughput; i++)
        {
            var call = _pipeline.ExecuteAsync(async token => await Task.Delay(Timeout.Infinite, token)).AsTask();
            _time.Advance(Policy.Timeout);
            await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
        }

        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
    }

    [Fact]
    public async Task After_the_break_one_successful_probe_closes_the_circuit()
    {
        await OpenCircuitAsync();

        _time.Advance(Policy.BreakDuration);
        await _pipeline.ExecuteAsync(_ => ValueTask.CompletedTask);

        Assert.Equal(CircuitState.Closed, _circuit.CircuitState);
    }

    [Fact]
    public async Task A_caller_that_gives_up_or_a_bug_in_our_code_does_not_open_the_circuit()
    {
        using var givenUp = new CancellationTokenSource();
        await givenUp.CancelAsync();
        for (var i = 0; i < Policy.MinimumThroughput * 2; i++)
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FailAsync(new OperationCanceledException(givenUp.Token), givenUp.Token));
            await Assert.ThrowsAsync<InvalidOperationException>(() => FailAsync(new InvalidOperationException("bug")));
        }

        Assert.Equal(CircuitState.Closed, _circuit.CircuitState);
    }

    [Fact]
    public async Task A_cancellation_the_caller_did_not_ask_for_is_a_dependency_failure()
    {
        // StackExchange.Redis cancels the commands in flight when its connection breaks; that must not become a 500.
        var guard = new DependencyGuard(Dependency.Redis, _pipeline, Policy.BreakDuration);

        for (var i = 0; i < Policy.MinimumThroughput; i++)
        {
            var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(async () =>
                await guard.ExecuteAsync<int>(_ => throw new TaskCanceledException(), CancellationToken.None));
            Assert.Equal(nameof(TaskCanceledException), unavailable.Reason);
        }

        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
    }

    [Fact]
    public async Task The_guard_turns_an_open_circuit_into_unavailable_with_the_remaining_break_as_retry_after()
    {
        var guard = new DependencyGuard(Dependency.Postgres, _pipeline, Policy.BreakDuration);
        await OpenCircuitAsync();
        _time.Advance(TimeSpan.FromSeconds(2));

        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(async () =>
            await guard.ExecuteAsync(_ => ValueTask.FromResult(1), CancellationToken.None));

        Assert.Equal(Dependency.Postgres, unavailable.Dependency);
        Assert.Equal("circuit open", unavailable.Reason);
        Assert.Equal(TimeSpan.FromSeconds(3), unavailable.RetryAfter);
    }

    [Fact]
    public async Task The_guard_names_a_timeout_and_lets_bugs_through_unchanged()
    {
        var guard = new DependencyGuard(Dependency.Redis, _pipeline, Policy.BreakDuration);

        var slow = guard.ExecuteAsync(async token => { await Task.Delay(Timeout.Infinite, token); return 0; }, CancellationToken.None).AsTask();
        _time.Advance(Policy.Timeout);
        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(() => slow);
        Assert.Equal("no answer within 200 ms", unavailable.Reason);

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
            await guard.ExecuteAsync<int>(_ => throw new InvalidOperationException("bug"), CancellationToken.None));
    }

    [Fact]
    public async Task A_client_whose_cancellation_blocks_gets_no_token_and_is_abandoned_at_the_timeout()
    {
        // Npgsql: cancelling its token sends PostgreSQL a cancel request synchronously, on a pool thread.
        var guard = new DependencyGuard(Dependency.Postgres, _pipeline, Policy.BreakDuration, cancellingBlocks: true);
        var answer = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var given = new CancellationTokenSource().Token;

        var slow = guard.ExecuteAsync(token =>
        {
            given = token;
            return new ValueTask<int>(answer.Task);
        }, CancellationToken.None).AsTask();
        _time.Advance(Policy.Timeout);

        var unavailable = await Assert.ThrowsAsync<DependencyUnavailableException>(() => slow);
        Assert.Equal("no answer within 200 ms", unavailable.Reason);
        Assert.False(given.CanBeCanceled); // nothing for the client to cancel: the call ends by itself
        answer.SetResult(1);
    }

    [Fact]
    public async Task Other_clients_get_the_pipelines_token_and_see_it_cancelled_at_the_timeout()
    {
        var guard = new DependencyGuard(Dependency.Redis, _pipeline, Policy.BreakDuration);
        var given = CancellationToken.None;

        var slow = guard.ExecuteAsync(async token =>
        {
            given = token;
            await Task.Delay(Timeout.Infinite, token);
            return 0;
        }, CancellationToken.None).AsTask();
        _time.Advance(Policy.Timeout);

        await Assert.ThrowsAsync<DependencyUnavailableException>(() => slow);
        Assert.True(given.IsCancellationRequested);
    }

    private async Task OpenCircuitAsync()
    {
        for (var i = 0; i < Policy.MinimumThroughput; i++)
        {
            await Assert.ThrowsAnyAsync<Exception>(() => FailAsync(new IOException("connection reset")));
        }

        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
    }

    private Task FailAsync(Exception exception, CancellationToken cancellationToken = default) =>
        _pipeline.ExecuteAsync(_ => ValueTask.FromException(exception), cancellationToken).AsTask();
}
