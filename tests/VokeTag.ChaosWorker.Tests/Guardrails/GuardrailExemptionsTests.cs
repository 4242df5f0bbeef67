using Microsoft.Extensions.Time.Testing;
using VokeTag.ChaosWorker.Guardrails;
using VokeTag.ChaosWorker.Lab;
using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Guardrails;

/// <summary>A game day team's wrong restart does not abort its round: guardrails look away for the window, then watch again.</summary>
public class GuardrailExemptionsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void While_an_exemption_is_open_the_load_guardrails_wait_and_afterwards_they_trip_again()
    {
        var exemptions = new GuardrailExemptions(_time);
        using var monitor = new GuardrailMonitor([Guardrail.ErrorRate((_, limit) => limit, 0.05)], ["db"],
            new LabControlClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9") }, _time), _time, exemptions);
        _time.Advance(GuardrailMonitor.Window);
        exemptions.Grant("db", TimeSpan.FromSeconds(60));

        Feed(monitor);
        monitor.CheckLoad();
        Assert.True(exemptions.Covers("db"));
        Assert.False(exemptions.Covers("cache"));
        Assert.False(monitor.Tripped.IsCancellationRequested);

        _time.Advance(TimeSpan.FromSeconds(60));
        Feed(monitor);
        monitor.CheckLoad();
        Assert.False(exemptions.AnyOpen);
        Assert.True(monitor.Tripped.IsCancellationRequested);
    }

    private static void Feed(GuardrailMonitor monitor)
    {
        for (var i = 0; i < 20; i++)
        {
            monitor.Observe(new LoadSample(RequestKind.Verify, TimeSpan.Zero, TimeSpan.FromMilliseconds(5), 503));
        }
    }
}
