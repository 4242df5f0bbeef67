using VokeTag.ChaosWorker.GameDays;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>What a team says is checked against what was injected: the kind in its words, the target or its fault proxy.</summary>
public class DiagnosisVocabularyTests
{
    public static TheoryData<string, string, string> EveryFaultKind => new()
    {
        { "stop", "cache", "stopped" },
        { "down", "db-proxy", "stopped" },
        { "kill", "api", "crashed" },
        { "latency", "db-proxy", "slow-network" },
        { "bandwidth", "cache-proxy", "slow-network" },
        { "call-latency", "db", "slow-network" },
        { "blackhole", "db-proxy", "partition" },
        { "reset", "cache-proxy", "partition" },
        { "cpu", "api", "cpu-pressure" },
        { "spike", "api", "traffic-spike" },
        { "call-error", "cache", "errors" },
        { "redeploy", "api", "bad-deploy" },
    };

    [Theory]
    [MemberData(nameof(EveryFaultKind))]
    public void Each_fault_kind_is_diagnosed_by_its_word_on_its_target_and_nothing_else(string faultKind, string target, string word)
    {
        RoundFault[] faults = [new(faultKind, target, HealsByItself: false)];

        Assert.True(DiagnosisVocabulary.IsCorrectDiagnosis(faults, target, word));
        Assert.Contains(word, DiagnosisVocabulary.Kinds);
        Assert.All(DiagnosisVocabulary.Kinds.Where(kind => kind != word),
            other => Assert.False(DiagnosisVocabulary.IsCorrectDiagnosis(faults, target, other)));
        Assert.All(DiagnosisVocabulary.Resources.Where(resource => !DiagnosisVocabulary.Concerns(resource, target)),
            elsewhere => Assert.False(DiagnosisVocabulary.IsCorrectDiagnosis(faults, elsewhere, word)));
    }

    [Fact]
    public void Every_fault_kind_of_the_file_format_has_a_word()
    {
        Assert.All(FaultKinds.All, kind => Assert.Contains(DiagnosisVocabulary.KindOf(kind.Name), DiagnosisVocabulary.Kinds));
    }

    [Theory]
    [InlineData("cache", "cache-proxy")]
    [InlineData("cache-proxy", "cache")]
    [InlineData("db", "db-proxy")]
    [InlineData("db-proxy", "db")]
    public void A_resource_and_its_fault_proxy_count_as_one(string target, string named)
    {
        RoundFault[] faults = [new("stop", target, false)];

        Assert.True(DiagnosisVocabulary.IsCorrectDiagnosis(faults, named, "stopped"));
        Assert.True(DiagnosisVocabulary.IsCorrectMitigation(faults, "restart", named));
        Assert.False(DiagnosisVocabulary.IsCorrectMitigation(faults, "restart", "api"));
    }

    [Fact]
    public void Restarting_or_starting_a_faulted_target_is_correct_and_waiting_only_when_every_fault_heals_by_itself()
    {
        RoundFault[] stays = [new("stop", "cache", HealsByItself: false)];
        RoundFault[] heals = [new("latency", "db-proxy", HealsByItself: true)];
        RoundFault[] mixed = [.. stays, .. heals];

        Assert.True(DiagnosisVocabulary.IsCorrectMitigation(stays, "restart", "cache"));
        Assert.True(DiagnosisVocabulary.IsCorrectMitigation(stays, "start", "cache"));
        Assert.False(DiagnosisVocabulary.IsCorrectMitigation(stays, "wait", null));
        Assert.True(DiagnosisVocabulary.IsCorrectMitigation(heals, "wait", null));
        Assert.False(DiagnosisVocabulary.IsCorrectMitigation(mixed, "wait", null));
        Assert.True(DiagnosisVocabulary.IsCorrectMitigation(mixed, "restart", "db"));
        Assert.False(DiagnosisVocabulary.IsCorrectMitigation(stays, "restart", null));
    }

    [Fact]
    public void The_prompts_offer_every_restart_and_start_and_wait()
    {
        Assert.Contains("restart cache", DiagnosisVocabulary.Mitigations);
        Assert.Contains("start db-proxy", DiagnosisVocabulary.Mitigations);
        Assert.Equal("wait", DiagnosisVocabulary.Mitigations[^1]);
        Assert.Equal(2 * DiagnosisVocabulary.Resources.Count + 1, DiagnosisVocabulary.Mitigations.Count);
    }
}
