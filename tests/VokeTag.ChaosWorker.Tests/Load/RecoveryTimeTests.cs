using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

public class RecoveryTimeTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan Sustain = TimeSpan.FromSeconds(1);
    private static readonly Func<LoadSample, bool> Steady = RecoveryTime.AnsweredWithin(Limit);

    [Fact]
    public void Healthy_from_the_start_recovers_at_zero()
    {
        var samples = Every(TimeSpan.FromMilliseconds(50), until: TimeSpan.FromSeconds(3), _ => (200, 10));

        Assert.Equal(TimeSpan.Zero, RecoveryTime.Measure(samples, Steady, Sustain));
    }

    [Fact]
    public void Recovery_is_the_start_of_the_first_sustained_healthy_streak()
    {
        // Failing until 1.2 s, one healthy blip at 1.5 s, a failure at 1.7 s, healthy from 1.8 s on.
        var samples = Every(TimeSpan.FromMilliseconds(100), until: TimeSpan.FromSeconds(5), at => at switch
        {
            _ when at < TimeSpan.FromMilliseconds(1200) => (503, 10),
            _ when at == TimeSpan.FromMilliseconds(1700) => (0, 5000),
            _ => (200, 10),
        });

        Assert.Equal(TimeSpan.FromMilliseconds(1800), RecoveryTime.Measure(samples, Steady, Sustain));
    }

    [Fact]
    public void Slow_answers_are_not_steady_even_when_they_succeed()
    {
        var samples = Every(TimeSpan.FromMilliseconds(100), until: TimeSpan.FromSeconds(4), at =>
            at < TimeSpan.FromSeconds(2) ? (200, 900) : (200, 20));

        Assert.Equal(TimeSpan.FromSeconds(2), RecoveryTime.Measure(samples, Steady, Sustain));
    }

    [Fact]
    public void An_experiment_can_ask_for_more_than_an_answer_e_g_served_from_the_cache_again()
    {
        var samples = Every(TimeSpan.FromMilliseconds(100), until: TimeSpan.FromSeconds(4), _ => (200, 10))
            .Select(sample => sample with { ServedFrom = sample.IntendedAt < TimeSpan.FromSeconds(2.5) ? "fallback" : "cache" });

        Assert.Equal(TimeSpan.FromSeconds(2.5), RecoveryTime.Measure(samples, sample => Steady(sample) && sample.ServedFrom != "fallback", Sustain));
    }

    [Fact]
    public void Empty_slots_at_low_rates_do_not_break_a_streak()
    {
        var samples = Every(TimeSpan.FromMilliseconds(400), until: TimeSpan.FromSeconds(3), _ => (200, 10));

        Assert.Equal(TimeSpan.Zero, RecoveryTime.Measure(samples, Steady, Sustain));
    }

    [Fact]
    public void Never_steady_for_the_window_is_null()
    {
        var samples = Every(TimeSpan.FromMilliseconds(100), until: TimeSpan.FromSeconds(3), at =>
            at.TotalMilliseconds % 700 == 0 ? (503, 10) : (200, 10));

        Assert.Null(RecoveryTime.Measure(samples, Steady, Sustain));
        Assert.Null(RecoveryTime.Measure([], Steady, Sustain));
    }

    private static List<LoadSample> Every(TimeSpan step, TimeSpan until, Func<TimeSpan, (int Status, int LatencyMs)> outcome)
    {
        var samples = new List<LoadSample>();
        for (var at = TimeSpan.Zero; at < until; at += step)
        {
            var (status, latency) = outcome(at);
            samples.Add(new LoadSample(RequestKind.Verify, at, TimeSpan.FromMilliseconds(latency), status));
        }

        return samples;
    }
}
