using VokeTag.SampleApi.Scans;

namespace VokeTag.SampleApi.Tests.Scans;

public class IdempotencyKeyTests
{
    [Theory]
    [InlineData("k")]
    [InlineData("3f2c7a9e-6f0b-4a51-9d7e-2b1c0f6a8e11")]
    [InlineData("scan:dock-4:2026-11-27T10:00:00Z")]
    public void Accepts_visible_ascii(string key) => Assert.True(ScanEndpoints.IsValidIdempotencyKey(key));

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("ключ")]
    public void Rejects_empty_blank_or_non_ascii(string key) => Assert.False(ScanEndpoints.IsValidIdempotencyKey(key));

    [Fact]
    public void Rejects_keys_over_the_limit()
    {
        Assert.True(ScanEndpoints.IsValidIdempotencyKey(new string('a', 100)));
        Assert.False(ScanEndpoints.IsValidIdempotencyKey(new string('a', 101)));
    }
}
