using Microsoft.AspNetCore.Http;
using Npgsql;
using VokeTag.SampleApi.Problems;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tests.Problems;

public class ProblemMappingTests
{
    [Fact]
    public void A_dependency_that_is_down_is_503_naming_the_dependency()
    {
        var problem = ProblemMapping.Map(new DependencyUnavailableException(
            Dependency.Postgres, "circuit open", TimeSpan.FromSeconds(5), new NpgsqlException("refused")));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, problem.Status);
        Assert.Contains("Postgres", problem.Detail);
        Assert.DoesNotContain("refused", problem.Detail); // inner exception text stays inside
    }

    [Theory]
    [InlineData(StatusCodes.Status400BadRequest)]
    [InlineData(StatusCodes.Status413PayloadTooLarge)]
    public void A_request_the_framework_could_not_read_keeps_its_status(int status)
    {
        var problem = ProblemMapping.Map(new BadHttpRequestException("nope", status));

        Assert.Equal(status, problem.Status);
    }

    [Fact]
    public void Anything_else_is_a_bare_500_without_details()
    {
        var problem = ProblemMapping.Map(new InvalidOperationException("secret internals at Foo.Bar()"));

        Assert.Equal(StatusCodes.Status500InternalServerError, problem.Status);
        Assert.Null(problem.Detail);
    }

    [Theory]
    [InlineData(0, "1")]
    [InlineData(200, "1")]
    [InlineData(4_100, "5")]
    [InlineData(5_000, "5")]
    public void Retry_after_is_whole_seconds_and_at_least_one(int milliseconds, string expected)
    {
        Assert.Equal(expected, ProblemMapping.RetryAfterSeconds(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
