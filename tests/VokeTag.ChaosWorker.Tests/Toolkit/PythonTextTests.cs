using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

public class PythonTextTests
{
    [Theory]
    [InlineData("true", "True")]
    [InlineData("false", "False")]
    [InlineData("null", "None")]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("1.0", "1.0")]
    [InlineData("0.5", "0.5")]
    [InlineData("100.0", "100.0")]
    [InlineData("1e16", "1e+16")]
    [InlineData("1e15", "1000000000000000.0")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("1.5e-7", "1.5e-07")]
    [InlineData("123456789012345678.0", "1.2345678901234568e+17")]
    [InlineData("1e22", "1e+22")]
    [InlineData("-0.0", "-0.0")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("\"text stays text\"", "text stays text")]
    [InlineData("{\"a\": 1, \"b\": \"x\", \"c\": null}", "{'a': 1, 'b': 'x', 'c': None}")]
    [InlineData("[1, \"two\", null, true, 2.5, [], {}]", "[1, 'two', None, True, 2.5, [], {}]")]
    [InlineData("{\"nested\": {\"list\": [1.0, false]}}", "{'nested': {'list': [1.0, False]}}")]
    public void Formats_a_json_value_as_python_str_does(string json, string expected)
    {
        Assert.Equal(expected, PythonText.Format(JsonNode.Parse(json)));
    }

    [Fact]
    public void Values_built_in_code_format_by_their_clr_type()
    {
        Assert.Equal("1.0", PythonText.Format(JsonValue.Create(1.0)));
        Assert.Equal("0.30000000000000004", PythonText.Format(JsonValue.Create(0.1 + 0.2)));
        Assert.Equal("3", PythonText.Format(JsonValue.Create(3L)));
        Assert.Equal("False", PythonText.Format(JsonValue.Create(false)));
        Assert.Equal("[1.0, 2]", PythonText.Format(new JsonArray(1.0, 2L)));
    }

    [Fact]
    public void Strings_inside_containers_are_quoted_and_escaped_as_python_repr()
    {
        Assert.Equal("[\"a'b\", 'a\\'b\"c']", PythonText.Format(new JsonArray("a'b", "a'b\"c")));
        Assert.Equal("['\\x01\\x7f\\xa0é\\u2028😀\\t\\n\\\\']", PythonText.Format(new JsonArray("\u0001\u007f\u00a0é\u2028😀\t\n\\")));
        Assert.Equal("{\"k'ey\": 1}", PythonText.Format(new JsonObject { ["k'ey"] = 1L }));
    }
}
