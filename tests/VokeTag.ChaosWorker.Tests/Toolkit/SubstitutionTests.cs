using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

public class SubstitutionTests
{
    private static readonly Substitution Values = new(
        JsonNode.Parse("""
            {"port": 8080, "flag": true, "nothing": null, "ratio": 1.0, "half": 0.5, "labels": {"a": 1, "b": "x"},
             "codes": [200, 201], "host": "api", "shared": "from-configuration"}
            """)!.AsObject(),
        JsonNode.Parse("""
            {"first": {"token": "t1", "shared": "from-secret", "dup": "first"},
             "second": {"dup": "second", "only": "s2"}}
            """)!.AsObject());

    [Theory]
    [InlineData("${port}", "8080")]
    [InlineData("${flag}", "true")]
    [InlineData("${nothing}", "null")]
    [InlineData("${ratio}", "1.0")]
    [InlineData("${labels}", """{"a":1,"b":"x"}""")]
    [InlineData("${codes}", "[200,201]")]
    [InlineData("${host}", "\"api\"")]
    [InlineData("${token}", "\"t1\"")]
    public void A_whole_braced_placeholder_keeps_the_value_and_its_type(string template, string json)
    {
        Assert.Equal(json, Values.Apply(template)?.ToJsonString() ?? "null");
    }

    [Fact]
    public void A_typed_value_is_a_copy_of_the_configuration_value()
    {
        var labels = (JsonObject)Values.Apply("${labels}")!;
        labels["a"] = 2;

        Assert.Equal("""{"a":1,"b":"x"}""", Values.Apply("${labels}")!.ToJsonString());
    }

    [Theory]
    [InlineData("port=${port}", "port=8080")]
    [InlineData("flag=${flag}", "flag=True")]
    [InlineData("${nothing}!", "None!")]
    [InlineData("r=${ratio}", "r=1.0")]
    [InlineData("h=${half}", "h=0.5")]
    [InlineData("l=${labels}", "l={'a': 1, 'b': 'x'}")]
    [InlineData("c=${codes}", "c=[200, 201]")]
    [InlineData("$host:$port/", "api:8080/")]
    [InlineData("${port}_x", "8080_x")]
    [InlineData("$port_x", "$port_x")] // the identifier is port_x, which is unknown
    [InlineData("$$", "$")]
    [InlineData("$${port}", "${port}")]
    [InlineData("cost: $$5", "cost: $5")]
    [InlineData("${unknown}", "${unknown}")]
    [InlineData("$unknown/x", "$unknown/x")]
    [InlineData("${PORT}", "${PORT}")] // names are case-sensitive
    [InlineData("${my-key}", "${my-key}")]
    [InlineData("${ port }", "${ port }")]
    [InlineData("${port", "${port")]
    [InlineData("$ 1", "$ 1")]
    [InlineData("$1", "$1")]
    [InlineData("price$", "price$")]
    [InlineData("${}", "${}")]
    [InlineData("", "")]
    public void Text_is_substituted_as_python_safe_substitute_does(string template, string expected)
    {
        Assert.Equal(expected, Values.ApplyToText(template));
        Assert.Equal(JsonValue.Create(expected).ToJsonString(), Values.Apply(template)!.ToJsonString());
    }

    [Theory]
    [InlineData("$port")]
    [InlineData("$flag")]
    public void A_whole_bare_placeholder_becomes_text_not_a_typed_value(string template)
    {
        Assert.Equal(PythonType.Str, PythonValues.TypeOf(Values.Apply(template)));
    }

    [Fact]
    public void Text_of_a_typed_whole_placeholder_is_its_python_str()
    {
        Assert.Equal("True", Values.ApplyToText("${flag}"));
        Assert.Equal("None", Values.ApplyToText("${nothing}"));
    }

    [Theory]
    [InlineData("${dup}", "first")] // secret scopes in declaration order
    [InlineData("${only}", "s2")]
    [InlineData("${shared}", "from-configuration")] // configuration before secrets
    public void Configuration_is_looked_up_first_then_each_secret_scope_in_order(string template, string expected)
    {
        Assert.Equal(expected, Values.ApplyToText(template));
    }

    [Fact]
    public void Values_are_substituted_at_any_depth_and_keys_are_left_alone()
    {
        var data = JsonNode.Parse("""{"${host}": ["${port}", {"url": "http://${host}:${port}/"}, 5, true, null, [["$flag"]]]}""");

        var result = Values.Apply(data);

        Assert.Equal("""{"${host}":[8080,{"url":"http://api:8080/"},5,true,null,[["True"]]]}""", result!.ToJsonString());
        Assert.Equal("""{"${host}":["${port}",{"url":"http://${host}:${port}/"},5,true,null,[["$flag"]]]}""", data!.ToJsonString());
    }

    [Fact]
    public void Values_built_in_code_are_looked_up_too()
    {
        var substitution = new Substitution(new JsonObject { ["n"] = 3L, ["f"] = 2.0 }, []);

        Assert.Equal("3", substitution.Apply("${n}")!.ToJsonString());
        Assert.Equal("n=3 f=2.0", substitution.ApplyToText("n=$n f=$f"));
    }

    [Fact]
    public void A_secret_scope_that_is_not_a_mapping_fails_a_lookup_that_reaches_it_as_chaoslib_does()
    {
        var substitution = new Substitution(new JsonObject { ["a"] = 1L }, new JsonObject { ["token"] = "abc" });

        Assert.Equal("1", substitution.Apply("${a}")!.ToJsonString()); // found before the scope is reached
        Assert.Equal("plain", substitution.ApplyToText("plain"));
        Assert.Contains("TypeError", Assert.Throws<ToolkitException>(() => substitution.Apply("${b}")).Message);
        Assert.Throws<ToolkitException>(() => substitution.ApplyToText("x $b"));
    }
}
