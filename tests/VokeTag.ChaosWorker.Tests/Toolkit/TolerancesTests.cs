using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

/// <summary>The tolerances chosen by their Python type: bool, int, str, list, and a probe activity.</summary>
public class TolerancesTests
{
    internal static readonly Substitution Values = new(
        JsonNode.Parse("""{"expected": 200, "codes": [200, 204], "name": "ok", "word": "ready", "id": 2, "field": "id"}""")!.AsObject(),
        []);

    private static readonly Func<JsonObject, JsonNode?, CancellationToken, Task<bool>> NoProbe =
        (_, _, _) => throw new InvalidOperationException("not a probe tolerance");

    internal static Task<ToleranceResult> Judge(string tolerance, string value) =>
        Tolerances.JudgeAsync(JsonNode.Parse(tolerance), JsonNode.Parse(value), Values, NoProbe, CancellationToken.None);

    [Theory]
    [InlineData("true", "true", true)]
    [InlineData("true", "1", true)]
    [InlineData("true", "1.0", true)]
    [InlineData("false", "0", true)]
    [InlineData("false", "false", true)]
    [InlineData("true", "2", false)]
    [InlineData("true", "\"True\"", false)]
    [InlineData("true", """{"status": 200}""", false)] // no status extraction for a bool
    [InlineData("false", "null", false)]
    [InlineData("true", "[true]", false)]
    public async Task A_bool_tolerance_is_python_equality(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("200", "200", true)]
    [InlineData("200", "200.0", true)]
    [InlineData("200", "\"200\"", false)]
    [InlineData("200", """{"status": 200, "headers": {}, "body": ""}""", true)]
    [InlineData("200", """{"status": 500, "body": ""}""", false)]
    [InlineData("0", """{"status": 0, "stdout": "", "stderr": ""}""", true)]
    [InlineData("200", """{"status": "200"}""", false)]
    [InlineData("200", """{"status": null}""", false)]
    [InlineData("200", """{"body": 200}""", false)]
    [InlineData("1", "true", true)]
    [InlineData("0", "false", true)]
    public async Task An_int_tolerance_compares_the_status_of_a_mapping_output_or_else_the_output(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("\"200\"", "200", false)]
    [InlineData("\"200\"", """{"status": 200}""", false)]
    [InlineData("\"ok\"", "\"ok\"", true)]
    [InlineData("\"ok\"", "\"OK\"", false)]
    [InlineData("\"ok\"", """{"status": 200, "body": "ok"}""", false)]
    [InlineData("\"\"", "\"\"", true)]
    [InlineData("\"${name}\"", "\"ok\"", true)]
    [InlineData("\"status ${expected}\"", "\"status 200\"", true)]
    [InlineData("\"$$5\"", "\"$5\"", true)]
    [InlineData("\"${unknown}\"", "\"${unknown}\"", true)]
    public async Task A_str_tolerance_is_substituted_then_compared_as_text(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("\"${expected}\"", """{"status": 200}""", true)] // now an int: the status is compared
    [InlineData("\"${expected}\"", "200", true)]
    [InlineData("\"${expected}\"", "\"200\"", false)]
    [InlineData("\"${codes}\"", """{"status": 204}""", true)] // now a list
    [InlineData("\"${codes}\"", """{"status": 202}""", false)]
    public async Task A_whole_placeholder_tolerance_takes_the_rule_of_its_typed_value(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("200.0", "200")]
    [InlineData("null", "null")]
    [InlineData("""{"type": "action"}""", "1")]
    [InlineData("""{"value": 1}""", "1")]
    public async Task A_tolerance_without_a_rule_is_not_met(string tolerance, string value)
    {
        Assert.Equal(new ToleranceResult(false, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("[200, 299]", """{"status": 250}""", false)] // membership, not a range, for a status
    [InlineData("[200, 299]", """{"status": 299}""", true)]
    [InlineData("[200, 299]", """{"status": 200.0}""", true)]
    [InlineData("[200, 201, 204]", """{"status": 201}""", true)]
    [InlineData("[1, 10]", "5", true)] // two values on a plain output: a range
    [InlineData("[1, 10]", "1", true)]
    [InlineData("[1, 10]", "10.0", true)]
    [InlineData("[1, 10]", "11", false)]
    [InlineData("[1, 10]", "0.5", false)]
    [InlineData("[1, 10]", "true", true)]
    [InlineData("[\"a\", \"c\"]", "\"b\"", true)]
    [InlineData("[\"a\", \"c\"]", "\"d\"", false)]
    [InlineData("[[1, 2], [1, 5]]", "[1, 3]", true)]
    [InlineData("[1, \"z\"]", "0", false)] // 1 <= 0 is False, so the second comparison never runs
    [InlineData("[200, 201, 204]", "204.0", true)] // otherwise membership
    [InlineData("[200, 201, 204]", "202", false)]
    [InlineData("[200]", "200", true)]
    [InlineData("[]", "200", false)]
    public async Task A_list_tolerance_is_status_membership_a_two_value_range_or_membership(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("[1, 10]", "\"5\"", "'int' and 'str'")]
    [InlineData("[1, 10]", "null", "'int' and 'NoneType'")]
    [InlineData("[1, 10]", """{"body": 5}""", "'int' and 'dict'")]
    [InlineData("[1, \"z\"]", "5", "'int' and 'str'")]
    public async Task A_two_value_range_over_values_python_cannot_order_is_a_problem_not_a_crash(string tolerance, string value, string types)
    {
        var result = await Judge(tolerance, value);

        Assert.False(result.Met);
        Assert.StartsWith("chaoslib raises TypeError here", result.Problem);
        Assert.Contains(types, result.Problem);
    }

    [Fact]
    public async Task Values_built_in_code_follow_the_same_rules()
    {
        Assert.True((await Tolerances.JudgeAsync(JsonValue.Create(true), JsonValue.Create(1L), Values, NoProbe, CancellationToken.None)).Met);
        Assert.True((await Tolerances.JudgeAsync(JsonValue.Create(200L), new JsonObject { ["status"] = 200.0 }, Values, NoProbe, CancellationToken.None)).Met);
        Assert.False((await Tolerances.JudgeAsync(JsonValue.Create(200L), JsonValue.Create("200"), Values, NoProbe, CancellationToken.None)).Met);
    }

    [Fact]
    public async Task A_probe_tolerance_runs_a_copy_of_the_activity_with_the_output()
    {
        var tolerance = JsonNode.Parse("""
            {"type": "probe", "name": "check", "provider": {"type": "python", "module": "m", "func": "f", "arguments": {"limit": 3}}}
            """)!;
        var output = JsonNode.Parse("""{"status": 200, "body": "up"}""");
        using var cancellation = new CancellationTokenSource();
        (JsonObject Activity, JsonNode? Value, CancellationToken Token)? call = null;

        var result = await Tolerances.JudgeAsync(tolerance, output, Values, (activity, value, token) =>
        {
            call = (activity, value, token);
            activity["provider"]!["arguments"]!["value"] = value; // as the runner does
            return Task.FromResult(true);
        }, cancellation.Token);

        Assert.Equal(new ToleranceResult(true, null), result);
        Assert.Equal("""{"status":200,"body":"up"}""", call!.Value.Value!.ToJsonString());
        Assert.Equal("check", (string?)call.Value.Activity["name"]);
        Assert.Equal(cancellation.Token, call.Value.Token);
        Assert.Null(tolerance["provider"]!["arguments"]!["value"]); // the experiment's tolerance is untouched
    }

    [Fact]
    public async Task A_probe_tolerance_is_met_only_when_the_activity_says_so()
    {
        var result = await Tolerances.JudgeAsync(
            JsonNode.Parse("""{"type": "probe", "name": "check", "provider": {"type": "http", "url": "http://x", "arguments": {}}}"""),
            JsonValue.Create(5L), Values, (_, _, _) => Task.FromResult(false), CancellationToken.None);

        Assert.Equal(new ToleranceResult(false, null), result);
    }

    [Theory]
    [InlineData("""{"type": "probe", "name": "check", "provider": {"type": "process", "path": "true"}}""", "KeyError")]
    [InlineData("""{"type": "probe", "name": "check", "provider": {"type": "process", "path": "true", "arguments": ["-x"]}}""", "TypeError")]
    [InlineData("""{"type": "probe", "name": "check"}""", "KeyError")]
    public async Task A_probe_tolerance_without_an_arguments_mapping_is_a_problem_and_does_not_run(string tolerance, string error)
    {
        var ran = false;

        var result = await Tolerances.JudgeAsync(JsonNode.Parse(tolerance), JsonValue.Create(1L), Values, (_, _, _) =>
        {
            ran = true;
            return Task.FromResult(true);
        }, CancellationToken.None);

        Assert.False(ran);
        Assert.False(result.Met);
        Assert.StartsWith($"chaoslib raises {error} here", result.Problem);
    }
}
