using Microsoft.Extensions.Time.Testing;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Guardrails;

public class GuardrailMonitorTests
{
    private static readonly Func<string, double, double> Defaults = (_, limit) => limit;

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void An_error_rate_above_its_limit_over_a_full_window_trips_the_monitor_and_names_the_figures()
    {
        using var monitor = Monitor(Guardrail.ErrorRate(Defaults, 0.05));

        Feed(monitor, count: 20, failing: 2); // 10 %
        _time.Advance(GuardrailMonitor.Window);
        Feed(monitor, count: 20, failing: 2);
        monitor.CheckLoad();

        Assert.True(monitor.Tripped.IsCancellationRequested);
        Assert.Equal(Guardrail.ErrorRateName, monitor.Trip!.Guardrail);
        Assert.Contains("10%", monitor.Trip.Reason);
        Assert.Contains("limit 5%", monitor.Trip.Reason);
    }

    [Fact]
    public void Nothing_trips_before_a_full_window_has_passed_since_the_inject()
    {
        using var monitor = Monitor(Guardrail.ErrorRate(Defaults, 0.05));

        Feed(monitor, count: 40, failing: 40);
        _time.Advance(GuardrailMonitor.Window - TimeSpan.FromMilliseconds(1));
        monitor.CheckLoad();

        Assert.False(monitor.Tripped.IsCancellationRequested);
    }

    [Fact]
    public void Healthy_traffic_or_too_few_answers_never_trip()
    {
        using var monitor = Monitor(Guardrail.ErrorRate(Defaults, 0.05), Guardrail.P95(Defaults, TimeSpan.FromSeconds(1)));
        _time.Advance(GuardrailMonitor.Window);

        Feed(monitor, count: GuardrailMonitor.MinimumSamples - 1, failing: GuardrailMonitor.MinimumSamples - 1);
        monitor.CheckLoad();
        Assert.False(monitor.Tripped.IsCancellationRequested);

        _time.Advance(GuardrailMonitor.Window + TimeSpan.FromSeconds(1)); // the failures leave the window
        Feed(monitor, count: 50, failing: 0);
        monitor.CheckLoad();
        Assert.False(monitor.Tripped.IsCancellationRequested);
        Assert.Null(monitor.Trip);
    }

    [Fact]
    public void A_slow_window_trips_the_latency_guardrail()
    {
        using var monitor = Monitor(Guardrail.P95(Defaults, TimeSpan.FromSeconds(1)));
        _time.Advance(GuardrailMonitor.Window);

        Feed(monitor, count: 20, failing: 0, latency: TimeSpan.FromSeconds(2));
        monitor.CheckLoad();

        Assert.Equal(Guardrail.P95Name, monitor.Trip?.Guardrail);
    }

    [Fact]
    public void A_request_waiting_for_a_database_connection_on_any_replica_trips_the_pool_guardrail_at_once()
    {
        using var monitor = Monitor(Guardrail.PoolWaiting(Defaults, 0), Guardrail.ErrorRate(Defaults, 0.05));
        monitor.ObserveReplica(Reading(pending: 0));
        monitor.CheckReplicas();
        Assert.False(monitor.Tripped.IsCancellationRequested);

        monitor.ObserveReplica(Reading(pending: 3));
        monitor.CheckReplicas();

        Assert.True(monitor.Tripped.IsCancellationRequested);
        Assert.Equal(Guardrail.PoolWaitingName, monitor.Trip!.Guardrail);
        Assert.Contains("3 on an API replica", monitor.Trip.Reason);
    }

    [Fact]
    public void A_replica_reading_older_than_the_window_no_longer_counts_and_traffic_never_trips_a_replica_guardrail()
    {
        using var monitor = Monitor(Guardrail.ApiCpu(Defaults, 0.8));
        monitor.ObserveReplica(Reading(cpu: 0.95));
        _time.Advance(GuardrailMonitor.Window + TimeSpan.FromSeconds(1));
        monitor.ObserveReplica(Reading(cpu: 0.30));
        Feed(monitor, count: 50, failing: 50);

        monitor.CheckReplicas();
        monitor.CheckLoad();

        Assert.False(monitor.Tripped.IsCancellationRequested);
    }

    private static ChaosWorker.Api.Diagnostics Reading(int pending = 0, double cpu = 0.1) =>
        new(new() { ["postgres"] = "closed" }, CpuShare: cpu, MemoryShare: 0.01, PostgresPool: new ChaosWorker.Api.PoolReading(Used: 10, Max: 100, Pending: pending));

    private GuardrailMonitor Monitor(params Guardrail[] guardrails) =>
        new(guardrails, [], new LabControlClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") }, _time), _time);

    private static void Feed(GuardrailMonitor monitor, int count, int failing, TimeSpan? latency = null)
    {
        for (var i = 0; i < count; i++)
        {
            monitor.Observe(new LoadSample(RequestKind.Verify, TimeSpan.Zero, latency ?? TimeSpan.FromMilliseconds(5), i < failing ? 503 : 200));
        }
    }
}
