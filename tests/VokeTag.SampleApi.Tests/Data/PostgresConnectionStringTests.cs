using Npgsql;
using VokeTag.SampleApi.Data;

namespace VokeTag.SampleApi.Tests.Data;

public class PostgresConnectionStringTests
{
    private const string FromTheLab = "Host=localhost;Port=5432;Username=postgres;Password=secret;Database=voketag";

    [Fact]
    public void The_labs_connection_skips_encryption_negotiation_and_leaves_slow_statements_to_the_server()
    {
        var settings = new NpgsqlConnectionStringBuilder(LabDependencies.PostgresConnectionString(FromTheLab));

        Assert.Equal(SslMode.Disable, settings.SslMode);
        Assert.Equal(GssEncryptionMode.Disable, settings.GssEncryptionMode);
        Assert.Equal(0, settings.CommandTimeout); // no client timeout: it would send a blocking cancel request
        Assert.Equal("-c statement_timeout=5000", settings.Options); // far above the API's 0.5 s budget
        Assert.Equal("secret", settings.Password);
    }

    [Fact]
    public void Options_of_the_connection_string_are_kept_beside_the_statement_timeout()
    {
        var settings = new NpgsqlConnectionStringBuilder(
            LabDependencies.PostgresConnectionString($"{FromTheLab};Options=-c search_path=lab"));

        Assert.Equal("-c search_path=lab -c statement_timeout=5000", settings.Options);
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
