using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

public class LoadConfigurationTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["HOST"] = "db.local",
        ["OTHER_HOST"] = "db.other",
        ["EMPTY"] = "",
    };

    private static JsonObject Load(string json, Dictionary<string, JsonNode?>? overrides = null, Dictionary<string, string>? environment = null) =>
        ToolkitValues.LoadConfiguration(
            JsonNode.Parse(json)!.AsObject(), overrides ?? [], name => (environment ?? Environment).GetValueOrDefault(name));

    [Fact]
    public void Plain_values_nested_mappings_and_dynamic_probes_are_kept_raw()
    {
        const string json = """{"url":"http://x","n":3,"nested":{"a":{"type":"env","key":"HOST"}},"dynamic":{"type":"probe","name":"p","provider":{"type":"http","url":"http://x"}},"typed":{"type":"other"}}""";

        Assert.Equal(json, Load(json).ToJsonString());
    }

    [Fact]
    public void An_environment_value_is_the_variable_text_even_when_empty()
    {
        var loaded = Load("""{"host": {"type": "env", "key": "HOST"}, "empty": {"type": "env", "key": "EMPTY", "default": "fallback"}}""");

        Assert.Equal("""{"host":"db.local","empty":""}""", loaded.ToJsonString());
    }

    [Fact]
    public void An_unset_variable_takes_the_default_with_its_own_type()
    {
        var loaded = Load("""{"port": {"type": "env", "key": "UNSET", "default": 5}, "none": {"type": "env", "key": "UNSET", "default": null}}""");

        Assert.Equal("""{"port":5,"none":null}""", loaded.ToJsonString());
    }

    [Fact]
    public void An_unset_variable_without_default_fails_with_chaoslibs_message()
    {
        var failure = Assert.Throws<ToolkitException>(() => Load("""{"token": {"type": "env", "key": "UNSET"}}"""));

        Assert.Equal("Configuration makes reference to an environment key that does not exist: UNSET", failure.Message);
    }

    [Theory]
    [InlineData("int", " 5432 ", "5432")]
    [InlineData("integer", "1_000", "1000")]
    [InlineData("int", "+7", "7")]
    [InlineData("int", "٤٢", "42")] // Arabic-Indic digits, as Python's int() reads them
    [InlineData("float", "0.5", "0.5")]
    [InlineData("number", "1", "1.0")]
    [InlineData("float", " 1e3 ", "1000.0")]
    [InlineData("float", "-inf", "-inf")]
    [InlineData("float", "1_0.5", "10.5")]
    [InlineData("bool", "false", "False")]
    [InlineData("bool", "0", "False")]
    [InlineData("bool", "No", "False")]
    [InlineData("bool", "FALSE", "False")]
    [InlineData("bool", "yes", "True")]
    [InlineData("bool", "off", "True")]
    [InlineData("bool", "", "True")]
    [InlineData("json", """{"a": [1, 2.5]}""", "{'a': [1, 2.5]}")]
    [InlineData("json", "42", "42")]
    [InlineData("json", "", "''")]
    [InlineData("str", "42", "'42'")]
    [InlineData("string", "42", "'42'")]
    [InlineData(null, "42", "'42'")]
    public void The_variable_text_is_converted_by_env_var_type(string? type, string text, string pythonRepr)
    {
        var definition = new JsonObject { ["type"] = "env", ["key"] = "VALUE" };
        if (type is not null)
        {
            definition["env_var_type"] = type;
        }

        var loaded = ToolkitValues.LoadConfiguration(new JsonObject { ["value"] = definition }, new Dictionary<string, JsonNode?>(),
            name => name == "VALUE" ? text : null);

        Assert.Equal(pythonRepr, PythonText.Repr(loaded["value"]));
    }

    [Theory]
    [InlineData("2.9", "int", "2")]
    [InlineData("true", "int", "1")]
    [InlineData("\"7\"", "int", "7")]
    [InlineData("3", "float", "3.0")]
    [InlineData("true", "bool", "True")]
    [InlineData("""{"a": 1}""", "json", "{'a': 1}")]
    [InlineData("null", "json", "None")]
    [InlineData("[1]", "str", "[1]")]
    public void A_default_is_converted_as_python_converts_it(string defaultJson, string type, string pythonRepr)
    {
        var loaded = Load($$$"""{"value": {"type": "env", "key": "UNSET", "default": {{{defaultJson}}}, "env_var_type": "{{{type}}}"}}""");

        Assert.Equal(pythonRepr, PythonText.Repr(loaded["value"]));
    }

    [Theory]
    [InlineData("int", "\"4.2\"", "ValueError")]
    [InlineData("int", "\"abc\"", "ValueError")]
    [InlineData("int", "null", "TypeError")]
    [InlineData("float", "\"1,5\"", "ValueError")]
    [InlineData("float", "[1]", "TypeError")]
    [InlineData("bool", "0", "AttributeError")]
    [InlineData("json", "\"{not json\"", "JSONDecodeError")]
    [InlineData("list", "\"x\"", "variable type can only be: bool, str, int, float, bytes or json")]
    [InlineData("bytes", "\"x\"", "'bytes' is not supported here")]
    public void A_value_chaoslib_cannot_convert_fails(string type, string defaultJson, string expected)
    {
        var failure = Assert.Throws<ToolkitException>(() =>
            Load($$$"""{"value": {"type": "env", "key": "UNSET", "default": {{{defaultJson}}}, "env_var_type": "{{{type}}}"}}"""));

        Assert.Contains(expected, failure.Message);
    }

    [Fact]
    public void Overrides_replace_declared_keys_only()
    {
        var overrides = new Dictionary<string, JsonNode?>
        {
            ["port"] = 8080L,
            ["host"] = JsonNode.Parse("""{"type": "env", "key": "OTHER_HOST"}"""),
            ["gone"] = null,
            ["undeclared"] = "ignored",
        };

        var loaded = Load("""{"host": {"type": "env", "key": "HOST"}, "port": 80, "gone": "declared"}""", overrides);

        Assert.Equal("""{"host":"db.other","port":8080,"gone":null}""", loaded.ToJsonString());
    }

    [Fact]
    public void An_override_that_names_an_unset_variable_fails_like_a_declared_one()
    {
        var overrides = new Dictionary<string, JsonNode?> { ["host"] = JsonNode.Parse("""{"type": "env", "key": "UNSET"}""") };

        Assert.Throws<ToolkitException>(() => Load("""{"host": "declared"}""", overrides));
    }

    [Fact]
    public void An_environment_value_without_key_fails()
    {
        Assert.Contains("KeyError", Assert.Throws<ToolkitException>(() => Load("""{"host": {"type": "env"}}""")).Message);
    }

    [Fact]
    public void The_result_is_a_copy_and_no_configuration_is_empty()
    {
        var declared = JsonNode.Parse("""{"nested": {"a": 1}}""")!.AsObject();

        var loaded = ToolkitValues.LoadConfiguration(declared, new Dictionary<string, JsonNode?>(), _ => null);
        loaded["nested"]!["a"] = 2;

        Assert.Equal("""{"nested":{"a":1}}""", declared.ToJsonString());
        Assert.Empty(ToolkitValues.LoadConfiguration(null, new Dictionary<string, JsonNode?>(), _ => null));
    }
}
