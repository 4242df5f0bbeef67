using VokeTag.SampleApi.Shedding;

namespace VokeTag.SampleApi.Tests.Shedding;

public class CpuPressureRuleTests
{
    [Theory]
    [InlineData(0.50, 0.90, true)]   // high-cpu: the replica burns half the machine and wants more
    [InlineData(0.26, 0.41, true)]
    [InlineData(0.05, 0.90, false)]  // waits for a core while a neighbour restarts, but is itself nearly idle
    [InlineData(0.24, 0.80, false)]  // just under the floor
    [InlineData(0.40, 0.40, false)]  // busy, but wants no more than the threshold
    public void Sheds_only_when_the_replica_is_itself_busy_and_wants_more_than_the_threshold(double ran, double wanted, bool pressed) =>
        Assert.Equal(pressed, new LoadSheddingSettings().CpuPressed(ran, wanted));
}
