using Npgsql;

namespace VokeTag.ChaosWorker.Ledger;

/// <summary>
/// The write ledger: after a run, every scan the API acknowledged with 2xx must be in PostgreSQL exactly once. It
/// reads the database directly (not through the fault proxy), by the scans' Idempotency-Keys.
/// </summary>
public sealed class ScanLedger(NpgsqlDataSource? database, TimeProvider time, ILogger<ScanLedger> logger)
{
    public const string Acknowledged = "ledger-acknowledged";
    public const string Found = "ledger-found";
    public const string Missing = Limits.LedgerMissing;
    public const string Duplicates = Limits.LedgerDuplicates;

    /// <summary>The database was just restarted by a rollback: give it this long to answer.</summary>
    private static readonly TimeSpan ReachableWithin = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan RetryInterval = TimeSpan.FromMilliseconds(500);

    /// <returns>The ledger figures, or none when the database could not be read (the ledger criteria then fail).</returns>
    public async Task<IReadOnlyDictionary<string, double>> CheckAsync(IReadOnlyCollection<string> acknowledgedKeys, CancellationToken cancellationToken)
    {
        if (database is null)
        {
            logger.LogWarning("No ConnectionStrings:voketag: the write ledger cannot be checked.");
            return new Dictionary<string, double>();
        }

        var started = time.GetTimestamp();
        while (true)
        {
            try
            {
                await using var command = database.CreateCommand(
                    "SELECT idempotency_key, count(*) FROM scans WHERE idempotency_key = ANY($1) GROUP BY idempotency_key");
                command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. acknowledgedKeys] });
                var rows = new Dictionary<string, long>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows[reader.GetString(0)] = reader.GetInt64(1);
                }

                return new Dictionary<string, double>
                {
                    [Acknowledged] = acknowledgedKeys.Count,
                    [Found] = rows.Count,
                    [Missing] = acknowledgedKeys.Count(key => !rows.ContainsKey(key)),
                    [Duplicates] = rows.Values.Count(count => count > 1),
                };
            }
            catch (NpgsqlException exception) when (time.GetElapsedTime(started) < ReachableWithin)
            {
                logger.LogDebug("Ledger: PostgreSQL not answering yet ({Error}); retrying", exception.Message);
                database.Clear();
                await Task.Delay(RetryInterval, time, cancellationToken);
            }
            catch (NpgsqlException exception)
            {
                logger.LogError("Ledger: PostgreSQL did not answer within {Seconds} s: {Error}", ReachableWithin.TotalSeconds, exception.Message);
                return new Dictionary<string, double>();
            }
        }
    }
}
