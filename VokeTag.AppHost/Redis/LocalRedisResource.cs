namespace VokeTag.AppHost.Redis;

/// <summary>
/// Redis as a local process (redis-server, or the embedded Garnet host). Its connection string has the same shape
/// as Aspire's Redis container: <c>host:port,password=...</c>.
/// </summary>
public sealed class LocalRedisResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string EndpointName = "tcp";

    private EndpointReference? _endpoint;

    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => _endpoint ??= new EndpointReference(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{Endpoint.Property(EndpointProperty.HostAndPort)},password={Password}");
}
