namespace VokeTag.AppHost.Postgres;

/// <summary>PostgreSQL as a local process over a cluster the lab created (see <see cref="LocalPostgresCluster"/>).</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, LocalPostgresCluster cluster, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public LocalPostgresCluster Cluster { get; } = cluster;

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => _endpoint ??= new EndpointReference(this, EndpointName);

    /// <summary>The server, as Aspire's PostgreSQL container gives it: <c>Host=...;Port=...;Username=postgres;Password=...</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={Endpoint.Property(EndpointProperty.Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username={LocalPostgresCluster.SuperUser};Password={Password}");
}

/// <summary>A database inside <see cref="LocalPostgresResource"/>; the lab creates it once the server is ready.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresResource>, IResourceWithConnectionString
{
    public LocalPostgresResource Parent { get; } = parent;

    public string DatabaseName { get; } = databaseName;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Parent};Database={DatabaseName}");
}
