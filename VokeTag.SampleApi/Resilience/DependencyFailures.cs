using System.Net.Sockets;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;
using VokeTag.SampleApi.Chaos;

namespace VokeTag.SampleApi.Resilience;

/// <summary>Whom a failed call to a dependency blames, and therefore what the API does about it.</summary>
public enum FailureKind
{
    /// <summary>The server is unavailable or overloaded: counts for the breaker, answered 503 with Retry-After.</summary>
    Outage,

    /// <summary>Concurrent requests collided (serialization failure, deadlock): 503, retry at once; not counted.</summary>
    Contention,

    /// <summary>The server refused this request's data or command: the caller's fault, 400; not counted.</summary>
    Rejected,

    /// <summary>The request conflicts with stored data (an integrity constraint): 409; not counted.</summary>
    Conflict,

    /// <summary>Nobody's fault that we know of (a bug, a broken lab): 500, logged with its code; not counted.</summary>
    Unexpected,
}

/// <summary>A classified failure: its kind, a short reason for logs and problem details, and whether the connection is gone.</summary>
/// <param name="BrokeConnection">The connection (and likely its pooled siblings) is dead: drop the pool.</param>
public sealed record DependencyFailure(FailureKind Kind, string Reason, bool BrokeConnection = false);

/// <summary>
/// The one place that decides what a dependency's exception means. Only failures that say the server is not answering
/// or cannot take more work open a breaker, clear a pool or become 503; errors a request caused itself would hit no
/// other request, so they must never take the dependency down for everyone.
/// </summary>
public static class DependencyFailures
{
    /// <summary>Redis replies that mean "not now" rather than "not this command".</summary>
    private static readonly string[] RedisBusyPrefixes = ["LOADING", "BUSY", "MASTERDOWN", "TRYAGAIN", "CLUSTERDOWN", "OOM"];

    /// <returns>The classification, or null when this is no dependency failure: the caller itself cancelled.</returns>
    /// <param name="callerToken">The caller's token: a cancellation it requested is the caller's, not a failure.</param>
    public static DependencyFailure? Classify(Exception exception, CancellationToken callerToken) => exception switch
    {
        OperationCanceledException when callerToken.IsCancellationRequested => null,
        TimeoutRejectedException timeout => new(FailureKind.Outage, $"no answer within {timeout.Timeout.TotalMilliseconds:0} ms"),
        BrokenCircuitException => new(FailureKind.Outage, "circuit open"),
        InjectedFaultException => new(FailureKind.Outage, "failed on purpose by the lab (a share of calls)"),
        PostgresException postgres => FromSqlState(postgres.SqlState),
        // Every other Npgsql failure is the client's view of the wire: refused, reset, closed, timed out, TLS.
        NpgsqlException npgsql => new(FailureKind.Outage, WireReason(npgsql), BrokeConnection: true),
        RedisServerException redis => FromRedisReply(redis.Message),
        RedisCommandException => new(FailureKind.Unexpected, "command the client refused to send"),
        // Connection failures, timeouts and "no connection is available".
        RedisException redis => new(FailureKind.Outage, redis.GetType().Name),
        SocketException or IOException => new(FailureKind.Outage, exception.GetType().Name, BrokeConnection: true),
        TimeoutException => new(FailureKind.Outage, nameof(TimeoutException)),
        // StackExchange.Redis cancels the commands in flight when its connection breaks: nobody asked for it.
        OperationCanceledException => new(FailureKind.Outage, exception.GetType().Name),
        // StackExchange.Redis reading from a connection torn down under it ("Reading is not allowed after reader was
        // completed", from PhysicalConnection.ReadFromPipe): seen when Redis stopped while a partition held the
        // connection (container multi-failure, 1 run in 5). Only the Redis client uses pipes behind a guard.
        InvalidOperationException { Source: "System.IO.Pipelines" } => new(FailureKind.Outage, "connection torn down while reading", BrokeConnection: true),
        _ => null,
    };

    /// <summary>PostgreSQL's SQLSTATE, by class (the first two characters) and, where a class mixes meanings, by code.</summary>
    public static DependencyFailure FromSqlState(string sqlState) => sqlState switch
    {
        // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now: the server is going or not there yet.
        "57P01" or "57P02" or "57P03" => new(FailureKind.Outage, $"server shutting down or starting (SQLSTATE {sqlState})", BrokeConnection: true),
        // The server gave up waiting on its own (statement_timeout): it is too slow, as a timeout of ours would say.
        "57014" => new(FailureKind.Outage, $"statement cancelled by the server (SQLSTATE {sqlState})"),
        _ => (sqlState.Length >= 2 ? sqlState[..2] : sqlState) switch
        {
            "08" => new(FailureKind.Outage, $"connection exception (SQLSTATE {sqlState})", BrokeConnection: true),
            // A wrong password or an unknown role: this replica's configuration, not the request. The server is there but
            // will not take this replica's calls; the breaker stops it hammering the server with failed logins.
            "28" => new(FailureKind.Outage, $"the server refused this replica's credentials (SQLSTATE {sqlState}): a configuration error"),
            "53" => new(FailureKind.Outage, $"insufficient resources (SQLSTATE {sqlState})"),
            "58" => new(FailureKind.Outage, $"system error on the server (SQLSTATE {sqlState})"),
            "40" => new(FailureKind.Contention, $"transaction rolled back by a concurrent one (SQLSTATE {sqlState})"),
            "22" => new(FailureKind.Rejected, $"invalid data (SQLSTATE {sqlState})"),
            "54" => new(FailureKind.Rejected, $"value beyond the server's limits (SQLSTATE {sqlState})"),
            "23" => new(FailureKind.Conflict, $"integrity constraint (SQLSTATE {sqlState})"),
            _ => new(FailureKind.Unexpected, $"SQLSTATE {sqlState}"),
        },
    };

    /// <summary>A Redis error reply: busy or out of memory is an outage; WRONGTYPE, ERR and the like are this command's.</summary>
    public static DependencyFailure FromRedisReply(string message)
    {
        var code = message.Split(' ', 2)[0];
        return RedisBusyPrefixes.Contains(code, StringComparer.Ordinal)
            ? new(FailureKind.Outage, $"Redis busy ({code})")
            : new(FailureKind.Rejected, $"Redis refused the command ({code})");
    }

    private static string WireReason(NpgsqlException exception) =>
        exception.InnerException is { } inner ? $"{nameof(NpgsqlException)}: {inner.GetType().Name}" : nameof(NpgsqlException);
}
