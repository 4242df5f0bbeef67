using VokeTag.SampleApi.Validation;

namespace VokeTag.SampleApi.Tests.Validation;

public class TextRulesTests
{
    [Theory]
    [InlineData("dock 4")]
    [InlineData("")]
    [InlineData("Zürich Hbf, Gleis 7")]
    [InlineData("東京 倉庫 3")]
    [InlineData("dock 🚀 (astral plane, a surrogate pair)")]
    [InlineData("right-to-left \u202e override is text, not a control")]
    public void Accepts_well_formed_text_without_controls(string text) => Assert.Null(TextRules.Problem(text, 200));

    [Theory]
    [InlineData("a\0b", "U+0000 at position 2")]
    [InlineData("line\nbreak", "U+000A at position 5")]
    [InlineData("\u001b[31mred", "U+001B at position 1")]
    [InlineData("c1 \u0085 control", "U+0085 at position 4")]
    [InlineData("del\u007f", "U+007F at position 4")]
    public void Names_the_first_bad_character_and_where_it_is(string text, string expected)
    {
        Assert.Contains(expected, TextRules.Problem(text, 200));
    }

    [Theory]
    [InlineData("lone ", 0xD800, " high", "lone surrogate U+D800 at position 6")]
    [InlineData("lone ", 0xDC00, " low", "lone surrogate U+DC00 at position 6")]
    [InlineData("", 0xD83D, "", "lone surrogate U+D83D at position 1")]
    public void Names_a_lone_surrogate_and_where_it_is(string before, int surrogate, string after, string expected)
    {
        // Built here: an attribute cannot hold a lone surrogate (metadata strings are UTF-8).
        Assert.Contains(expected, TextRules.Problem(before + (char)surrogate + after, 200));
    }

    [Fact]
    public void Refuses_text_over_the_limit_naming_both_lengths()
    {
        Assert.Null(TextRules.Problem(new string('x', 200), 200));
        Assert.Equal("is 201 characters long; at most 200 allowed", TextRules.Problem(new string('x', 201), 200));
    }

    [Fact]
    public void Echo_keeps_printable_ascii_and_escapes_the_rest()
    {
        Assert.Equal("VT-0000\\u00004", TextRules.Echo("VT-0000\u00004"));
        Assert.Equal("bad\\uD800", TextRules.Echo("bad" + (char)0xD800));
        Assert.Equal(new string('a', 40) + "…", TextRules.Echo(new string('a', 41)));
    }
}
