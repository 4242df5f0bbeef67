using System.Text.Json.Nodes;
using VokeTag.ChaosWorker.Toolkit;

namespace VokeTag.ChaosWorker.Tests.Toolkit;

public class LoadSecretsTests
{
    private static JsonObject Load(string json) => ToolkitValues.LoadSecrets(
        JsonNode.Parse(json)!.AsObject(), name => name switch { "TOKEN" => "42", "USER_NAME" => "admin", _ => null });

    [Fact]
    public void Environment_secrets_are_the_raw_text_and_other_values_are_kept()
    {
        var loaded = Load("""{"api": {"token": {"type": "env", "key": "TOKEN", "env_var_type": "int"}, "plain": "p", "n": 5, "list": [1]}}""");

        Assert.Equal("""{"api":{"token":"42","plain":"p","n":5,"list":[1]}}""", loaded.ToJsonString());
    }

    [Fact]
    public void Nested_mappings_are_resolved_the_same_way()
    {
        var loaded = Load("""{"db": {"creds": {"user": {"type": "env", "key": "USER_NAME"}, "pass": "x"}, "other": {"type": "other", "v": {"type": "env", "key": "TOKEN"}}}}""");

        Assert.Equal("""{"db":{"creds":{"user":"admin","pass":"x"},"other":{"type":"other","v":"42"}}}""", loaded.ToJsonString());
    }

    [Fact]
    public void A_scope_may_itself_be_an_environment_secret()
    {
        Assert.Equal("""{"token":"42"}""", Load("""{"token": {"type": "env", "key": "TOKEN"}}""").ToJsonString());
    }

    [Fact]
    public void An_unset_variable_fails_with_chaoslibs_message_even_with_a_default()
    {
        var failure = Assert.Throws<ToolkitException>(() => Load("""{"api": {"token": {"type": "env", "key": "MISSING", "default": "d"}}}"""));

        Assert.Equal("Secrets make reference to an environment key that does not exist: MISSING", failure.Message);
    }

    [Fact]
    public void Vault_secrets_are_refused()
    {
        var failure = Assert.Throws<ToolkitException>(() => Load("""{"api": {"token": {"type": "vault", "path": "secret/api"}}}"""));

        Assert.StartsWith("vault secrets are not supported here", failure.Message);
    }

    [Fact]
    public void No_secrets_are_empty()
    {
        Assert.Empty(ToolkitValues.LoadSecrets(null, _ => null));
    }
}
