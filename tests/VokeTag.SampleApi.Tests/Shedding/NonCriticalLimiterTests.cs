using System.Threading.RateLimiting;
using VokeTag.SampleApi.Shedding;
using static VokeTag.SampleApi.Shedding.LoadShedding;

namespace VokeTag.SampleApi.Tests.Shedding;

public class NonCriticalLimiterTests
{
    private static readonly LoadSheddingSettings Settings = new() { NonCriticalPerSecond = 20, NonCriticalConcurrency = 100 };

    [Fact]
    public void A_surge_beyond_the_budget_is_shed_naming_the_budget()
    {
        using var limiter = new NonCriticalLimiter(() => false, Settings);

        var leases = Enumerable.Range(0, 25).Select(_ => limiter.AttemptAcquire()).ToList();

        // One second's worth (20) goes through at once; the bucket refills 2 every 100 ms, far slower than this loop.
        Assert.InRange(leases.Count(lease => lease.IsAcquired), 20, 22);
        var refused = leases.First(lease => !lease.IsAcquired);
        Assert.Equal("budget", NonCriticalLimiter.ReasonOf(refused));
        leases.ForEach(lease => lease.Dispose());
    }

    [Fact]
    public void Cpu_pressure_sheds_before_the_budget_is_touched()
    {
        var pressed = true;
        using var limiter = new NonCriticalLimiter(() => pressed, Settings);

        for (var request = 0; request < 50; request++)
        {
            using var lease = limiter.AttemptAcquire();
            Assert.False(lease.IsAcquired);
            Assert.Equal("cpu", NonCriticalLimiter.ReasonOf(lease));
        }

        pressed = false;
        using var afterwards = limiter.AttemptAcquire();
        Assert.True(afterwards.IsAcquired); // the shed requests spent none of the budget
    }

    [Fact]
    public void Too_many_at_once_are_shed_as_concurrency_and_a_finished_one_frees_its_place()
    {
        using var limiter = new NonCriticalLimiter(() => false, new LoadSheddingSettings { NonCriticalConcurrency = 2 });

        var first = limiter.AttemptAcquire();
        using var second = limiter.AttemptAcquire();
        using var third = limiter.AttemptAcquire();

        Assert.True(first.IsAcquired && second.IsAcquired);
        Assert.False(third.IsAcquired);
        Assert.Equal("concurrency", NonCriticalLimiter.ReasonOf(third));
        first.Dispose();
        using var fourth = limiter.AttemptAcquire();
        Assert.True(fourth.IsAcquired);
    }
}
