using Npgsql;
using VokeTag.SampleApi.Data;

namespace VokeTag.SampleApi.Tests.Data;

public class PostgresConnectionStringTests
{
    private const string FromTheLab = "Host=localhost;Port=5432;Username=postgres;Password=secret;Database=voketag";

    [Fact]
    public void The_labs_connection_skips_encryption_negotiation_and_abandoned_commands_end_within_seconds()
    {
        var settings = new NpgsqlConnectionStringBuilder(LabDependencies.PostgresConnectionString(FromTheLab));

        Assert.Equal(SslMode.Disable, settings.SslMode);
        Assert.Equal(GssEncryptionMode.Disable, settings.GssEncryptionMode);
        Assert.Equal(5, settings.CommandTimeout); // far above the API's 0.5 s budget, and it ends an abandoned command
        Assert.Equal(-1, settings.CancellationTimeout);
        Assert.Equal("secret", settings.Password);
    }

    [Theory]
    [InlineData("SSL Mode=Require", SslMode.Require, GssEncryptionMode.Disable)]
    [InlineData("sslmode=VerifyFull", SslMode.VerifyFull, GssEncryptionMode.Disable)]
    [InlineData("GSS Encryption Mode=Require", SslMode.Disable, GssEncryptionMode.Require)]
    public void A_connection_string_that_asks_for_encryption_keeps_it(string asked, SslMode ssl, GssEncryptionMode gss)
    {
        var settings = new NpgsqlConnectionStringBuilder(LabDependencies.PostgresConnectionString($"{FromTheLab};{asked}"));

        Assert.Equal(ssl, settings.SslMode);
        Assert.Equal(gss, settings.GssEncryptionMode);
    }
}
