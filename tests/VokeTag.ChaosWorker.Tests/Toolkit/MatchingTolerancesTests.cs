using VokeTag.ChaosWorker.Toolkit;
using static VokeTag.ChaosWorker.Tests.Toolkit.TolerancesTests;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

/// <summary>The mapping tolerances that look into the output: regex, jsonpath and range.</summary>
public class MatchingTolerancesTests
{
    private const string HttpOutput = """{"status": 200, "headers": {"Content-Type": "text/plain"}, "body": "service ready"}""";

    private const string JsonBodyOutput = """
        {"status": 200, "headers": {}, "body": "{\"items\": [{\"id\": 1}, {\"id\": 2}, {\"id\": 3}], \"state\": \"up\", \"ratio\": 1.0}"}
        """;

    [Theory]
    [InlineData("""{"type": "regex", "pattern": "^ok"}""", "\"ok then\"", true)]
    [InlineData("""{"type": "regex", "pattern": "^ok"}""", "\"not ok\"", false)]
    [InlineData("""{"type": "regex", "pattern": "ready", "target": "body"}""", HttpOutput, true)]
    [InlineData("""{"type": "regex", "pattern": "^ready", "target": "body"}""", HttpOutput, false)]
    [InlineData("""{"type": "regex", "pattern": "^${word}$"}""", "\"ready\"", true)] // the pattern is substituted
    [InlineData("""{"type": "regex", "pattern": "^(?P<code>\\d{3}) (?P=code)$"}""", "\"200 200\"", true)]
    [InlineData("""{"type": "regex", "pattern": "^(?P<code>\\d{3}) (?P=code)$"}""", "\"201 200\"", false)]
    [InlineData("""{"type": "regex", "pattern": "ready\\Z"}""", "\"ready\\n\"", false)] // Python's \Z is the very end
    [InlineData("""{"type": "regex", "pattern": "ready$"}""", "\"ready\\n\"", true)]
    [InlineData("""{"type": "regex", "pattern": "^a{,2}$"}""", "\"aa\"", true)]
    [InlineData("""{"type": "regex", "pattern": "^a{,2}$"}""", "\"aaa\"", false)]
    [InlineData("""{"type": "regex", "pattern": "(?ai)^READY"}""", "\"ready\"", true)]
    [InlineData("""{"type": "regex", "pattern": "[]x]"}""", "\"a]b\"", true)]
    [InlineData("""{"type": "regex", "pattern": "\\U0001F600"}""", "\"smile 😀\"", true)]
    [InlineData("""{"type": "regex", "pattern": ""}""", "\"anything\"", true)]
    public async Task A_regex_tolerance_searches_the_text_as_python_re_does(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Fact]
    public async Task A_regex_on_a_mapping_output_without_target_is_the_crash_chaoslib_would_have()
    {
        var result = await Judge("""{"type": "regex", "pattern": "ready"}""", HttpOutput);

        Assert.Equal(new ToleranceResult(false, "chaoslib raises TypeError here: a regex tolerance on a mapping output needs `target` (e.g. body)"), result);
    }

    [Theory]
    [InlineData("""{"type": "regex", "pattern": "ready", "target": "body"}""", "\"ready\"", "AttributeError")]
    [InlineData("""{"type": "regex", "pattern": "200", "target": "status"}""", HttpOutput, "TypeError")]
    [InlineData("""{"type": "regex", "pattern": "ready", "target": "missing"}""", HttpOutput, "TypeError")]
    [InlineData("""{"type": "regex", "pattern": "1"}""", "1", "TypeError")]
    [InlineData("""{"type": "regex", "pattern": "("}""", "\"x\"", "re.error")]
    [InlineData("""{"type": "regex", "pattern": "${expected}"}""", "\"200\"", "TypeError")] // substituted to an int
    public async Task A_regex_chaoslib_could_not_run_is_a_problem(string tolerance, string value, string error)
    {
        var result = await Judge(tolerance, value);

        Assert.False(result.Met);
        Assert.StartsWith($"chaoslib raises {error} here", result.Problem);
    }

    [Theory]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body"}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.missing", "target": "body"}""", false)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "count": 3}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "count": 3.0}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "count": 2}""", false)]
    [InlineData("""{"type": "jsonpath", "path": "$.missing", "target": "body", "count": 0}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "expect": [1, 2, 3]}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "expect": [3, 2, 1]}""", false)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "expect": [1, 2]}""", false)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "count": 99, "expect": [1, 2, 3]}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.state", "target": "body", "expect": "up"}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.state", "target": "body", "expect": "down"}""", false)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].id", "target": "body", "expect": 1}""", false)] // [1, 2, 3] != [1]
    [InlineData("""{"type": "jsonpath", "path": "$.ratio", "target": "body", "expect": 1}""", true)] // 1.0 == 1
    [InlineData("""{"type": "jsonpath", "path": "$.items[*].${field}", "target": "body", "expect": [1, 2, 3]}""", true)]
    [InlineData("""{"type": "jsonpath", "path": "$.items[1].id", "target": "body", "expect": "${id}"}""", true)] // typed 2
    [InlineData("""{"type": "jsonpath", "path": "$.status"}""", true)] // no target: the output itself
    [InlineData("""{"type": "jsonpath", "path": "$.status", "expect": 200}""", true)]
    public async Task A_jsonpath_tolerance_selects_values_and_checks_count_or_expect(string tolerance, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, JsonBodyOutput));
    }

    [Theory]
    [InlineData("[3, 1, 2]", true)]
    [InlineData("[1, 2, 3]", false)] // the same values in another order
    public async Task A_jsonpath_expect_list_is_compared_in_document_order(string expect, bool met)
    {
        var result = await Judge($$"""{"type": "jsonpath", "path": "$.ids[*]", "expect": {{expect}}}""", """{"ids": [3, 1, 2]}""");

        Assert.Equal(new ToleranceResult(met, null), result);
    }

    [Fact]
    public async Task A_jsonpath_on_text_that_is_not_json_selects_the_text_itself()
    {
        Assert.True((await Judge("""{"type": "jsonpath", "path": "$", "expect": "plain text"}""", "\"plain text\"")).Met);
    }

    [Theory]
    [InlineData("""{"type": "jsonpath", "path": "$.[", "target": "body"}""", JsonBodyOutput, "ValueError")]
    [InlineData("""{"type": "jsonpath", "path": "$.x", "target": "body"}""", "\"{}\"", "AttributeError")]
    [InlineData("""{"type": "jsonpath", "path": "${expected}"}""", "{}", "TypeError")]
    public async Task A_jsonpath_chaoslib_could_not_run_is_a_problem(string tolerance, string value, string error)
    {
        var result = await Judge(tolerance, value);

        Assert.False(result.Met);
        Assert.StartsWith($"chaoslib raises {error} here", result.Problem);
    }

    [Theory]
    [InlineData("""{"type": "range", "range": [200, 299], "target": "status"}""", HttpOutput, true)]
    [InlineData("""{"type": "range", "range": [201, 299], "target": "status"}""", HttpOutput, false)]
    [InlineData("""{"type": "range", "range": [100, 200], "target": "status"}""", HttpOutput, true)] // inclusive
    [InlineData("""{"type": "range", "range": [0, 100]}""", "\"  42 \"", true)] // numeric text, whitespace and all
    [InlineData("""{"type": "range", "range": [0, 100]}""", "\"4_2\"", true)]
    [InlineData("""{"type": "range", "range": [0, 10]}""", "\"4_2\"", false)]
    [InlineData("""{"type": "range", "range": [100, 100]}""", "\"1e2\"", true)]
    [InlineData("""{"type": "range", "range": [0, 100]}""", "\"abc\"", false)] // not a number: simply not met
    [InlineData("""{"type": "range", "range": [0, 0.3]}""", "0.3", true)]
    [InlineData("""{"type": "range", "range": [0, 0.3]}""", "\"0.3\"", false)] // Decimal("0.3") > the float 0.3
    [InlineData("""{"type": "range", "range": [0, 0.3]}""", "\"0.25\"", true)]
    [InlineData("""{"type": "range", "range": [1, 2]}""", "true", true)]
    [InlineData("""{"type": "range", "range": [-1.5, 0]}""", "-1.5", true)]
    [InlineData("""{"type": "range", "range": [0, 100], "target": "body"}""", """{"status": 500, "body": "42"}""", true)]
    public async Task A_range_tolerance_compares_decimals_inclusively(string tolerance, string value, bool met)
    {
        Assert.Equal(new ToleranceResult(met, null), await Judge(tolerance, value));
    }

    [Theory]
    [InlineData("""{"type": "range", "range": [0, 100]}""", "null", "TypeError")]
    [InlineData("""{"type": "range", "range": [0, 100]}""", HttpOutput, "TypeError")] // needs a target
    [InlineData("""{"type": "range", "range": [0, 100]}""", "[1, 2]", "ValueError")]
    [InlineData("""{"type": "range", "range": [0, 100]}""", "\"NaN\"", "decimal.InvalidOperation")]
    [InlineData("""{"type": "range", "range": [0, 100], "target": "status"}""", "\"200\"", "AttributeError")]
    public async Task A_range_chaoslib_could_not_run_is_a_problem(string tolerance, string value, string error)
    {
        var result = await Judge(tolerance, value);

        Assert.False(result.Met);
        Assert.StartsWith($"chaoslib raises {error} here", result.Problem);
    }
}
