using System.Diagnostics.Metrics;

namespace VokeTag.SampleApi.Diagnostics;

/// <summary>
/// How much of this replica's PostgreSQL pool is in use, read from Npgsql's own metrics (meter <c>Npgsql</c>:
/// <c>db.client.connection.count</c> by state, <c>db.client.connection.max</c>,
/// <c>db.client.connection.npgsql.pending_requests</c>) when asked, not sampled: the design document's "connection
/// pool exhausted" alert, for the chaos worker to watch.
/// </summary>
public sealed class PostgresPoolUsage : IDisposable
{
    private const string MeterName = "Npgsql";

    private readonly MeterListener _listener = new();
    private readonly Lock _gate = new();
    private long _used;
    private long _max;
    private long _pending;

    public PostgresPoolUsage()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == MeterName && instrument.Name is "db.client.connection.count" or "db.client.connection.max"
                or "db.client.connection.npgsql.pending_requests")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument.Name, value, tags));
        _listener.Start();
    }

    /// <summary>Connections in use, the pool's size and requests waiting for a connection, now.</summary>
    public PoolReading Read()
    {
        lock (_gate)
        {
            (_used, _max, _pending) = (0, 0, 0);
            _listener.RecordObservableInstruments(); // calls Record for each pool, synchronously
            return new PoolReading((int)_used, (int)_max, (int)_pending);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(string instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        switch (instrument)
        {
            case "db.client.connection.count" when StateOf(tags) == "used":
                _used += value;
                break;
            case "db.client.connection.max":
                _max += value;
                break;
            case "db.client.connection.npgsql.pending_requests":
                _pending += value;
                break;
        }
    }

    private static string? StateOf(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "db.client.connection.state")
            {
                return tag.Value as string;
            }
        }

        return null;
    }
}

/// <param name="Used">Connections lent out to a command now.</param>
/// <param name="Max">The pool's maximum size.</param>
/// <param name="Pending">Requests waiting for a connection because every one is in use.</param>
public sealed record PoolReading(int Used, int Max, int Pending);
