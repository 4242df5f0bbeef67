using Npgsql;
using VokeTag.SampleApi.Resilience;

namespace VokeTag.SampleApi.Tags;

/// <summary>PostgreSQL, the source of truth for tags. Failures surface as <see cref="DependencyUnavailableException"/>.</summary>
public sealed class TagStore(NpgsqlDataSource database, [FromKeyedServices(Dependency.Postgres)] DependencyGuard guard)
{
    public ValueTask<Tag?> FindAsync(TagId id, CancellationToken cancellationToken) =>
        guard.ExecuteAsync(async token =>
        {
            await using var command = database.CreateCommand(
                "SELECT id, product, batch, status, issued_at FROM tags WHERE id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = id.Value });
            await using var reader = await command.ExecuteReaderAsync(token);
            return await reader.ReadAsync(token)
                ? new Tag(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4))
                : null;
        }, cancellationToken);
}
