using Npgsql;
using VokeTag.SampleApi.Resilience;
using VokeTag.SampleApi.Tags;

namespace VokeTag.SampleApi.Scans;

/// <summary>
/// Scans live only in PostgreSQL. A scan is acknowledged only after its INSERT committed, and an idempotency key
/// maps to at most one row (a unique index), so a client may retry safely.
/// </summary>
public sealed class ScanStore(NpgsqlDataSource database, [FromKeyedServices(Dependency.Postgres)] DependencyGuard guard)
{
    public const int HistoryLimit = 20;

    public ValueTask<(ScanOutcome Outcome, Scan? Scan)> RecordAsync(
        TagId tagId, string? idempotencyKey, string? location, CancellationToken cancellationToken) =>
        guard.ExecuteAsync<(ScanOutcome, Scan?)>(async token =>
        {
            // One autocommit statement: when it returns a row, that row is committed.
            await using var insert = database.CreateCommand("""
                INSERT INTO scans (tag_id, idempotency_key, location)
                SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM tags WHERE id = $1)
                ON CONFLICT (idempotency_key) DO NOTHING
                RETURNING id, tag_id, location, scanned_at
                """);
            AddParameters(insert, tagId.Value, idempotencyKey, location);
            try
            {
                if (await ReadScanAsync(insert, token) is { } created)
                {
                    return (ScanOutcome.Created, created);
                }
            }
            catch (PostgresException race) when (race.SqlState == PostgresErrorCodes.UniqueViolation && idempotencyKey is not null)
            {
                // ON CONFLICT normally absorbs a concurrent insert with the same key; should the race still surface as
                // a unique violation, the other request's row is the answer: a replay, never a 409.
            }

            if (idempotencyKey is null)
            {
                return (ScanOutcome.TagNotFound, null);
            }

            // A separate statement sees a row committed by a concurrent request with the same key.
            await using var existing = database.CreateCommand(
                "SELECT id, tag_id, location, scanned_at FROM scans WHERE idempotency_key = $1");
            AddParameters(existing, idempotencyKey);
            return await ReadScanAsync(existing, token) switch
            {
                { } scan when scan.TagId == tagId.Value => (ScanOutcome.Replayed, scan),
                { } scan => (ScanOutcome.KeyReusedForAnotherTag, scan),
                null => (ScanOutcome.TagNotFound, null),
            };
        }, cancellationToken);

    /// <returns>The history, or null when no such tag exists.</returns>
    public ValueTask<ScanHistory?> HistoryAsync(TagId tagId, CancellationToken cancellationToken) =>
        guard.ExecuteAsync<ScanHistory?>(async token =>
        {
            await using var count = database.CreateCommand(
                "SELECT (SELECT count(*) FROM scans WHERE tag_id = $1) WHERE EXISTS (SELECT 1 FROM tags WHERE id = $1)");
            AddParameters(count, tagId.Value);
            if (await count.ExecuteScalarAsync(token) is not long total)
            {
                return null;
            }

            await using var latest = database.CreateCommand($"""
                SELECT id, tag_id, location, scanned_at FROM scans WHERE tag_id = $1
                ORDER BY scanned_at DESC, id DESC LIMIT {HistoryLimit}
                """);
            AddParameters(latest, tagId.Value);
            var scans = new List<Scan>();
            await using var reader = await latest.ExecuteReaderAsync(token);
            while (await reader.ReadAsync(token))
            {
                scans.Add(ReadScan(reader));
            }

            return new ScanHistory(tagId.Value, total, scans);
        }, cancellationToken);

    private static void AddParameters(NpgsqlCommand command, params string?[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        }
    }

    private static async Task<Scan?> ReadScanAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadScan(reader) : null;
    }

    private static Scan ReadScan(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3));
}
