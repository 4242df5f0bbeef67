namespace VokeTag.Export.Tests;

/// <summary>Texts that YAML 1.1 would read as something else are quoted; the rest are written plain.</summary>
public class ManifestYamlTests
{
    [Theory]
    [InlineData("25")]
    [InlineData("1.0")]
    [InlineData("true")]
    [InlineData("on")]
    [InlineData("no")]
    [InlineData("y")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("0x1F")]
    [InlineData("1e3")]
    [InlineData("10:20")]
    [InlineData("!=")]
    [InlineData("-c")]
    [InlineData("a: b")]
    [InlineData(" padded")]
    public void Ambiguous_texts_are_quoted(string text)
    {
        var yaml = ManifestYaml.Write([new ManifestMap { ["value"] = text }]);

        Assert.StartsWith("value: \"", yaml, StringComparison.Ordinal);
        Assert.Equal(text, ((YamlDotNet.RepresentationModel.YamlScalarNode)Exports.Document(yaml).Children["value"]).Value);
    }

    [Theory]
    [InlineData("1000ms")]
    [InlineData("app.kubernetes.io/name=redis")]
    [InlineData("http://api.voketag.svc:8080/tags/VT-000042")]
    [InlineData("Host=postgres;Port=5432;Password=$(POSTGRES_PASSWORD)")]
    public void Plain_texts_stay_plain(string text) =>
        Assert.Equal($"value: {text}\n", ManifestYaml.Write([new ManifestMap { ["value"] = text }]));

    [Fact]
    public void Keys_keep_their_order_and_null_values_are_left_out()
    {
        var yaml = ManifestYaml.Write([new ManifestMap { ["b"] = 1, ["a"] = true, ["c"] = null, ["d"] = new[] { "x" } }], ["one", "  two"]);

        Assert.Equal("# one\n#   two\nb: 1\na: true\nd:\n  - x\n", yaml);
    }
}
