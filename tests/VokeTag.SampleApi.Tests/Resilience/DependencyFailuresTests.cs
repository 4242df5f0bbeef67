using System.Net.Sockets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;
using VokeTag.SampleApi.Problems;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tests.Resilience;

/// <summary>
/// Pins what each failure means, SQLSTATE class by class: an outage is answered 503 and counted; a request the server
/// refused is the caller's (4xx), never counted; anything else is a 500. One malformed field must never take the
/// database path down for everyone.
/// </summary>
public class DependencyFailuresTests
{
    private static readonly DependencyPolicy Policy = new() { MinimumThroughput = 5, BreakDuration = TimeSpan.FromSeconds(5) };

    private readonly FakeTimeProvider _time = new();
    private readonly CircuitBreakerStateProvider _circuit = new();
    private readonly ResiliencePipeline _pipeline;
    private int _poolClears;
    private int _openings;
    private string? _openedBy;

    public DependencyFailuresTests() =>
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = _time }.AddDependencyStrategies(Policy, _circuit, reason => { _openings++; _openedBy = reason; }).Build();

    [Theory]
    // Class 08 connection exception, 53 insufficient resources, 57P01–57P03 shutdown or start-up, 58 system error.
    [InlineData("08006", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("08001", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("53300", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("53100", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("57P01", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("57P02", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("57P03", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("57014", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("58030", StatusCodes.Status503ServiceUnavailable, true)]
    // Class 28: this replica's credentials were refused (a bad deploy): the server will not serve it, retry elsewhere.
    [InlineData("28P01", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("28000", StatusCodes.Status503ServiceUnavailable, true)]
    // Class 40: a collision with a concurrent transaction; retry, but the server is fine.
    [InlineData("40001", StatusCodes.Status503ServiceUnavailable, false)]
    [InlineData("40P01", StatusCodes.Status503ServiceUnavailable, false)]
    // Class 22 data exception (the NUL byte is 22021), 54 limits: the request's data.
    [InlineData("22021", StatusCodes.Status400BadRequest, false)]
    [InlineData("22001", StatusCodes.Status400BadRequest, false)]
    [InlineData("22P02", StatusCodes.Status400BadRequest, false)]
    [InlineData("54000", StatusCodes.Status400BadRequest, false)]
    // Class 23 integrity constraint: conflicts with stored data.
    [InlineData("23505", StatusCodes.Status409Conflict, false)]
    [InlineData("23503", StatusCodes.Status409Conflict, false)]
    // Anything else is nobody's known fault: a bug or a broken lab (42P01: the schema is missing).
    [InlineData("42P01", StatusCodes.Status500InternalServerError, false)]
    [InlineData("42601", StatusCodes.Status500InternalServerError, false)]
    [InlineData("XX000", StatusCodes.Status500InternalServerError, false)]
    public async Task A_PostgreSQL_error_is_answered_and_counted_by_its_SQLSTATE(string sqlState, int status, bool counts)
    {
        var outcome = await FailRepeatedlyAsync(Dependency.Postgres, () => new PostgresException("refused", "ERROR", "ERROR", sqlState));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(counts ? CircuitState.Open : CircuitState.Closed, _circuit.CircuitState);
        Assert.Equal(counts ? 1 : 0, _openings);
        Assert.Equal(counts ? DependencyFailures.FromSqlState(sqlState).Reason : null, _openedBy); // what /diagnostics says opened it
    }

    [Fact]
    public async Task A_refused_value_never_clears_the_pool_a_broken_connection_does()
    {
        await FailRepeatedlyAsync(Dependency.Postgres, () => new PostgresException("invalid byte sequence", "ERROR", "ERROR", "22021"));
        Assert.Equal(0, _poolClears);

        await FailRepeatedlyAsync(Dependency.Postgres, () => new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), times: 1);
        Assert.Equal(1, _poolClears);
    }

    [Fact]
    public async Task A_slow_or_overloaded_server_keeps_its_pooled_connections()
    {
        await FailRepeatedlyAsync(Dependency.Postgres, () => new PostgresException("too many connections", "FATAL", "FATAL", "53300"));

        Assert.Equal(0, _poolClears);
    }

    [Theory]
    [InlineData(typeof(SocketException))]
    [InlineData(typeof(IOException))]
    [InlineData(typeof(TimeoutException))]
    public async Task Wire_failures_are_outages(Type type)
    {
        var outcome = await FailRepeatedlyAsync(Dependency.Postgres, () => new NpgsqlException("wire", (Exception)Activator.CreateInstance(type)!));

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, outcome.Status);
        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
    }

    [Theory]
    [InlineData("WRONGTYPE Operation against a key holding the wrong kind of value", StatusCodes.Status400BadRequest, false)]
    [InlineData("ERR value is not an integer or out of range", StatusCodes.Status400BadRequest, false)]
    [InlineData("LOADING Redis is loading the dataset in memory", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("BUSY Redis is busy running a script", StatusCodes.Status503ServiceUnavailable, true)]
    [InlineData("OOM command not allowed when used memory > 'maxmemory'", StatusCodes.Status503ServiceUnavailable, true)]
    public async Task A_Redis_error_reply_is_an_outage_only_when_it_says_the_server_is_busy(string reply, int status, bool counts)
    {
        var outcome = await FailRepeatedlyAsync(Dependency.Redis, () => new RedisServerException(reply));

        Assert.Equal(status, outcome.Status);
        Assert.Equal(counts ? CircuitState.Open : CircuitState.Closed, _circuit.CircuitState);
    }

    [Fact]
    public async Task Redis_connection_failures_and_timeouts_are_outages()
    {
        await FailRepeatedlyAsync(Dependency.Redis, () => new RedisConnectionException(ConnectionFailureType.SocketFailure, "reset"));
        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
        Assert.Equal(FailureKind.Outage, DependencyFailures.Classify(new RedisTimeoutException("slow", CommandStatus.Sent), CancellationToken.None)!.Kind);
    }

    [Fact]
    public async Task A_connection_torn_down_under_the_Redis_clients_reader_is_an_outage_not_a_500()
    {
        var outcome = await FailRepeatedlyAsync(Dependency.Redis, ReadingACompletedPipe);

        Assert.Equal(StatusCodes.Status503ServiceUnavailable, outcome.Status);
        Assert.Equal(CircuitState.Open, _circuit.CircuitState);
        Assert.Null(DependencyFailures.Classify(new InvalidOperationException("a bug of ours"), CancellationToken.None)); // still a 500
    }

    [Fact]
    public void A_refusal_names_what_the_server_said_and_the_fields_without_internals()
    {
        var rejected = new DependencyRejectedException(Dependency.Postgres, DependencyFailures.FromSqlState("22021"),
            "invalid byte sequence for encoding \"UTF8\": 0x00", new PostgresException("x", "ERROR", "ERROR", "22021"));

        var problem = ProblemMapping.Refused(rejected, fields: "location");

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Contains("22021", problem.Detail);
        Assert.Contains("0x00", problem.Detail);
        Assert.Contains("location", problem.Detail);
        Assert.DoesNotContain(" at ", problem.Detail); // no stack frames
    }

    /// <summary>What StackExchange.Redis's read loop met in a container multi-failure run, thrown by the same code.</summary>
    private static Exception ReadingACompletedPipe()
    {
        var pipe = new System.IO.Pipelines.Pipe();
        pipe.Reader.Complete();
        try
        {
            pipe.Reader.TryRead(out _);
        }
        catch (InvalidOperationException torn)
        {
            _ = torn.Source; // as thrown (by System.IO.Pipelines), kept when the guard's caller rethrows it
            return torn;
        }

        throw new InvalidOperationException("a completed pipe let the reader read");
    }

    /// <summary>
    /// Sends the same failure through a guard (breaker, timeout) more often than it takes to open the breaker, and
    /// returns what the API would answer for it.
    /// </summary>
    private async Task<Microsoft.AspNetCore.Mvc.ProblemDetails> FailRepeatedlyAsync(Dependency dependency, Func<Exception> failure, int? times = null)
    {
        var guard = new DependencyGuard(dependency, _pipeline, Policy.BreakDuration, () => _poolClears++);
        Exception? last = null;
        for (var i = 0; i < (times ?? Policy.MinimumThroughput * 2); i++)
        {
            last = await Assert.ThrowsAnyAsync<Exception>(async () => await guard.ExecuteAsync<int>(_ => throw failure(), CancellationToken.None));
        }

        return ProblemMapping.Map(last!);
    }
}
