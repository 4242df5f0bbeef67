using Microsoft.Extensions.Time.Testing;
using VokeTag.SampleApi.Chaos;

namespace VokeTag.SampleApi.Tests.Chaos;

public class CpuPressureTests
{
    [Fact]
    public void Pressure_ends_by_itself_at_its_deadline()
    {
        var time = new FakeTimeProvider();
        using var pressure = new CpuPressure(time);

        var applied = pressure.Apply(0.1, TimeSpan.FromSeconds(30));
        Assert.Equal(0.1, applied.Share);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(30), applied.Until);

        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(PressureState.None, pressure.State);
    }

    [Fact]
    public void Stop_ends_it_at_once_and_a_new_pressure_replaces_the_old()
    {
        var time = new FakeTimeProvider();
        using var pressure = new CpuPressure(time);
        pressure.Apply(0.1, TimeSpan.FromSeconds(30));

        var replaced = pressure.Apply(0.2, TimeSpan.FromSeconds(10));
        Assert.Equal(0.2, pressure.State.Share);
        Assert.Equal(replaced, pressure.State);

        pressure.Stop();
        Assert.Equal(PressureState.None, pressure.State);
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(1.5, 10)]
    [InlineData(0.5, 0)]
    [InlineData(0.5, 601)]
    public void Out_of_range_pressure_is_refused(double share, double seconds)
    {
        using var pressure = new CpuPressure(new FakeTimeProvider());

        Assert.ThrowsAny<ArgumentOutOfRangeException>(() => pressure.Apply(share, TimeSpan.FromSeconds(seconds)));
        Assert.Equal(PressureState.None, pressure.State);
    }
}
