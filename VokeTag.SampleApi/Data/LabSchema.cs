using Npgsql;

namespace VokeTag.SampleApi.Data;

/// <summary>
/// Creates the tables and seeds the tags. Idempotent, and safe when both replicas start at once: the whole script
/// runs under one transaction-scoped advisory lock.
/// </summary>
public static class LabSchema
{
    public const int SeededTagCount = 10_000;
    private const long SchemaLockKey = 0x566f6b65546167; // "VokeTag"

    public static async Task EnsureCreatedAsync(NpgsqlDataSource database, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"""
            SET LOCAL statement_timeout = 0; -- the API's 5 s limit is for requests; seeding a busy server may take longer
            SELECT pg_advisory_xact_lock({SchemaLockKey});

            CREATE TABLE IF NOT EXISTS tags (
                id         text PRIMARY KEY,
                product    text NOT NULL,
                batch      text NOT NULL,
                status     text NOT NULL,
                issued_at  timestamptz NOT NULL
            );

            CREATE TABLE IF NOT EXISTS scans (
                id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tag_id          text NOT NULL REFERENCES tags (id),
                idempotency_key text UNIQUE,
                location        text,
                scanned_at      timestamptz NOT NULL DEFAULT now()
            );

            CREATE INDEX IF NOT EXISTS scans_by_tag ON scans (tag_id, scanned_at DESC);

            INSERT INTO tags (id, product, batch, status, issued_at)
            SELECT 'VT-' || lpad(n::text, 6, '0'),
                   'Product ' || (n % 250),
                   'B' || lpad((n / 100)::text, 4, '0'),
                   CASE WHEN n % 97 = 0 THEN 'revoked' ELSE 'active' END,
                   timestamptz '2026-01-01 00:00:00+00' + n * interval '1 minute'
            FROM generate_series(1, {SeededTagCount}) AS n
            ON CONFLICT (id) DO NOTHING;
            """, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
