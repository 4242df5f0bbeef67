using VokeTag.ChaosWorker.Load;

namespace VokeTag.ChaosWorker.Tests.Load;

public class LoadProfileTests
{
    [Fact]
    public void Every_block_of_100_requests_has_the_configured_mix()
    {
        var profile = new LoadProfile();

        var kinds = Enumerable.Range(300, 100).Select(profile.KindOf).ToList();

        Assert.Equal(profile.VerifyPercent, kinds.Count(kind => kind == RequestKind.Verify));
        Assert.Equal(profile.HistoryPercent, kinds.Count(kind => kind == RequestKind.History));
        Assert.Equal(profile.ScanPercent, kinds.Count(kind => kind == RequestKind.Scan));
    }

    [Fact]
    public void A_second_of_load_at_20_per_second_carries_every_kind()
    {
        var profile = new LoadProfile { RatePerSecond = 20 };

        for (var start = 0; start < 200; start += 20)
        {
            var window = Enumerable.Range(start, profile.RequestsFor(TimeSpan.FromSeconds(1))).Select(profile.KindOf).ToHashSet();
            Assert.Equal(Enum.GetValues<RequestKind>().ToHashSet(), window);
        }
    }
}
