using VokeTag.SampleApi.Tags;

namespace VokeTag.SampleApi.Tests.Tags;

public class TagIdTests
{
    [Theory]
    [InlineData("VT-000001")]
    [InlineData("VT-010000")]
    [InlineData("VT-999999")]
    public void Accepts_the_documented_format(string text)
    {
        Assert.True(TagId.TryParse(text, out var id));
        Assert.Equal(text, id.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("VT-00001")]      // five digits
    [InlineData("VT-0000001")]    // seven digits
    [InlineData("vt-000001")]     // lower-case prefix
    [InlineData("XX-000001")]
    [InlineData("VT-00000A")]
    [InlineData("VT-000001 ")]
    [InlineData("VT-٠٠٠٠٠١")]     // Arabic-Indic digits are digits, but not ours
    [InlineData("'; DROP TABLE tags; --")]
    public void Rejects_anything_else(string? text)
    {
        Assert.False(TagId.TryParse(text, out _));
    }

    [Fact]
    public void FromNumber_pads_to_six_digits()
    {
        Assert.Equal("VT-000042", TagId.FromNumber(42).Value);
    }
}
