using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

public class ConstantRateLoadTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();
    private readonly ScriptedTransport _transport = new();

    [Fact]
    public async Task A_hanging_request_does_not_delay_the_next_and_is_timed_from_when_it_was_sent()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://127.0.0.1:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 10 };
        _transport.HangFirst = true;

        var run = load.RunAsync(profile, TimeSpan.FromSeconds(1), "run-1", CancellationToken.None);
        for (var sent = 1; sent < 10; sent++)
        {
            Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == sent, Wait), $"request {sent} was not sent");
            _time.Advance(profile.Interval);
        }

        Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == 10, Wait));
        _transport.ReleaseFirst();
        var samples = await run.WaitAsync(Wait);

        Assert.Equal(10, samples.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(900), samples[0].Latency); // sent at 0, answered at 0.9 s
        Assert.All(samples.Skip(1), sample => Assert.Equal(TimeSpan.Zero, sample.Latency));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => profile.Interval * i), samples.Select(sample => sample.IntendedAt));
    }

    [Fact]
    public async Task Requests_the_generator_sends_late_keep_their_due_time_and_its_lateness_is_not_counted_as_latency()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://127.0.0.1:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 10 };

        var run = load.RunAsync(profile, TimeSpan.FromSeconds(0.3), "run-late", CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == 1, Wait));
        _time.Advance(TimeSpan.FromMilliseconds(250)); // the loop wakes 150 ms after the second request was due
        var samples = await run.WaitAsync(Wait);

        Assert.Equal([TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200)], samples.Select(sample => sample.IntendedAt));
        Assert.All(samples, sample => Assert.Equal(TimeSpan.Zero, sample.Latency)); // answered as soon as sent
    }

    [Fact]
    public async Task When_the_in_flight_limit_is_reached_the_schedule_goes_on_and_what_cannot_be_sent_is_a_failure_named_as_such()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://127.0.0.1:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 1000 };
        var total = ConstantRateLoad.MaxInFlight + 22;
        _transport.HangAll = true;

        var run = load.RunAsync(profile, profile.Interval * total, "run-limit", CancellationToken.None);
        _time.Advance(profile.Interval * total); // every request falls due while none is answered
        Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == ConstantRateLoad.MaxInFlight, Wait));
        _transport.ReleaseFirst();
        var samples = await run.WaitAsync(Wait);

        Assert.Equal(total, samples.Count);
        Assert.Equal(ConstantRateLoad.MaxInFlight, _transport.Requests.Count); // nothing past the limit reached the server
        var notSent = samples.Where(sample => sample.NotSent).ToList();
        Assert.Equal(22, notSent.Count);
        Assert.All(notSent, sample => Assert.True(sample.Failed));
        Assert.All(notSent, sample => Assert.Equal(profile.RequestTimeout, sample.Latency)); // never counted as fast
        Assert.Equal(22, PhaseStatistics.From(samples, TimeSpan.FromSeconds(1)).NotSent);
    }

    [Fact]
    public async Task A_request_with_no_answer_within_its_timeout_counts_as_no_response()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://localhost:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 1, RequestTimeout = TimeSpan.FromSeconds(2) };
        _transport.HangFirst = true;

        var run = load.RunAsync(profile, TimeSpan.FromSeconds(1), "run-2", CancellationToken.None);
        Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == 1, Wait));
        _time.Advance(profile.RequestTimeout);
        var sample = Assert.Single(await run.WaitAsync(Wait));

        Assert.Equal(0, sample.StatusCode);
        Assert.True(sample.Failed);
        Assert.Equal(profile.RequestTimeout, sample.Latency);
    }

    [Fact]
    public async Task The_mix_is_deterministic_and_scans_carry_a_unique_idempotency_key()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://127.0.0.1:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 100 };

        var run = load.RunAsync(profile, TimeSpan.FromSeconds(1), "run-3", CancellationToken.None);
        while (!run.IsCompleted)
        {
            _time.Advance(profile.Interval);
            SpinWait.SpinUntil(() => run.IsCompleted || _transport.Requests.Count > 0, TimeSpan.FromMilliseconds(50));
        }

        var samples = await run;
        Assert.Equal(70, samples.Count(sample => sample.Kind == RequestKind.Verify));
        Assert.Equal(20, samples.Count(sample => sample.Kind == RequestKind.History));
        Assert.Equal(10, samples.Count(sample => sample.Kind == RequestKind.Scan));
        var keys = _transport.Requests.Where(request => request.Kind == RequestKind.Scan).Select(request => request.IdempotencyKey).ToList();
        Assert.Equal(10, keys.Distinct().Count());
        Assert.All(keys, key => Assert.StartsWith("run-3-", key));
        Assert.Equal("cache", samples.First(sample => sample.Kind == RequestKind.Verify).ServedFrom);
    }

    [Fact]
    public async Task Stopping_early_sends_nothing_more_and_what_is_in_flight_still_gets_its_answer()
    {
        var load = new ConstantRateLoad(_ => _transport, new Uri("http://127.0.0.1:5180"), _time);
        var profile = new LoadProfile { RatePerSecond = 10 };
        _transport.HangFirst = true;
        using var stop = new CancellationTokenSource();

        var run = load.RunAsync(profile, TimeSpan.FromSeconds(10), "run-4", CancellationToken.None, stopSending: stop.Token);
        for (var sent = 1; sent < 3; sent++)
        {
            Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == sent, Wait), $"request {sent} was not sent");
            _time.Advance(profile.Interval);
        }

        Assert.True(SpinWait.SpinUntil(() => _transport.Requests.Count == 3, Wait));
        await stop.CancelAsync();
        _time.Advance(profile.Interval * 5);
        Assert.False(run.IsCompleted); // the first request is still in flight
        _transport.ReleaseFirst();
        var samples = await run.WaitAsync(Wait);

        Assert.Equal(3, _transport.Requests.Count);
        Assert.Equal([200, 200, 200], samples.Select(sample => sample.StatusCode));
    }

    [Theory]
    [InlineData("http://10.0.0.5:5180")]
    [InlineData("http://example.com")]
    [InlineData("http://api")]
    public void Only_loopback_targets_are_accepted(string target)
    {
        var refused = Assert.Throws<ArgumentException>(() => new ConstantRateLoad(_ => _transport, new Uri(target), _time));

        Assert.Contains("loopback", refused.Message);
    }

    [Fact]
    public void A_bad_profile_names_every_bad_field()
    {
        var problems = new LoadProfile { RatePerSecond = 0, VerifyPercent = 90, RequestTimeout = TimeSpan.FromMinutes(5), TagWorkingSet = 0 }.Validate().ToList();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("RatePerSecond", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.Contains("add up to 100", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("RequestTimeout", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("TagWorkingSet", StringComparison.Ordinal));
        Assert.Empty(new LoadProfile().Validate());
    }

    /// <summary>Answers 200 at once (verifications "from the cache"); can hold the first request until released.</summary>
    private sealed class ScriptedTransport : ILoadTransport
    {
        private readonly TaskCompletionSource _releaseFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool HangFirst { get; set; }

        /// <summary>Every request waits until <see cref="ReleaseFirst"/>: a server that stopped answering.</summary>
        public bool HangAll { get; set; }

        public ConcurrentQueue<LoadRequest> Requests { get; } = new();

        public void ReleaseFirst() => _releaseFirst.TrySetResult();

        public ValueTask PrepareAsync(int connections, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask<LoadAnswer> SendAsync(LoadRequest request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request);
            if (HangAll || (HangFirst && Requests.Count == 1))
            {
                await _releaseFirst.Task.WaitAsync(cancellationToken);
            }

            return new LoadAnswer(200, ServedFrom: "cache", Replica: null, ShedReason: null, Injected: null);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
