using VokeTag.ChaosWorker.GameDays;

namespace VokeTag.ChaosWorker.Tests.GameDays;

/// <summary>The score card comes from the timeline and the run's measures: times from the injection, wrong calls, false alarms.</summary>
public class RoundScoreTests
{
    [Fact]
    public void Detect_and_diagnose_times_count_from_the_injection_and_wrong_calls_and_false_alarms_are_listed()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        script.Wait(5);
        Assert.Null(script.GameDay.Declare("blue", "is it slow?").Correct); // before the fault: a false alarm
        script.Wait(1);
        GameDayScript.Inject(round);
        script.Wait(12);
        script.GameDay.Declare("blue", "errors on verify");
        script.Wait(8);
        Assert.False(script.GameDay.Diagnose("blue", "db", "slow-network").Correct);
        script.Wait(10);
        Assert.True(script.GameDay.Diagnose("blue", "cache", "stopped").Correct);
        script.Wait(5);
        Assert.True(script.GameDay.Mitigate("blue", "restart", "cache").Answer.Correct);
        script.Wait(1);
        script.EndRound(round, requests: 1200, failed: 60, recoverySeconds: 4);

        var score = round.Score!;
        Assert.Equal(12, score.DetectSeconds);
        Assert.Equal(30, score.DiagnoseSeconds);
        Assert.Equal(1, score.WrongDiagnoses);
        Assert.Equal(["db slow-network"], score.WrongDiagnosisList);
        Assert.Equal(["is it slow?"], score.FalseAlarms);
        Assert.True(score.Mitigation!.Correct);
        Assert.Equal("restart cache", score.Mitigation.Action);
        Assert.Equal(35, score.Mitigation.Seconds);
        Assert.Equal(4, score.RecoverySeconds);
        Assert.Equal(36 + 4, score.IncidentSeconds); // injection → rollback (36 s) → steady 4 s later
        Assert.Equal(60, score.ErrorsSeen);
        Assert.Equal(100, score.ErrorsPerMinute, 3); // 60 errors over 36 s
        Assert.Empty(score.Findings);
        // 20 + 10·(1 − 12/300) + 30 + 10·(1 − 30/300) + 30 − 10 − 5
        Assert.Equal(84, score.Points);
    }

    [Fact]
    public void A_round_nobody_detected_or_diagnosed_says_so_and_scores_nothing_for_it()
    {
        var script = new GameDayScript(limitSeconds: 60);
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.Wait(60);
        script.EndRound(round, recoverySeconds: null);

        var score = round.Score!;
        Assert.Null(score.DetectSeconds);
        Assert.Null(score.DiagnoseSeconds);
        Assert.Null(score.Mitigation);
        Assert.Contains("not detected within the round's limit (60 s)", score.Findings);
        Assert.Contains("not diagnosed correctly", score.Findings);
        Assert.Contains("the service was not measured steady again within the recovery phase", score.Findings);
        Assert.Equal(0, score.Points);
    }

    [Fact]
    public void Actions_outside_a_live_round_are_recorded_but_not_scored_and_say_so()
    {
        var script = new GameDayScript();

        var declared = script.GameDay.Declare("blue", "before anything");
        var diagnosed = script.GameDay.Diagnose("blue", "cache", "stopped");
        var mitigated = script.GameDay.Mitigate("blue", "restart", "cache");

        Assert.Contains("false alarm", declared.Message);
        Assert.Null(diagnosed.Correct);
        Assert.Contains("not scored", diagnosed.Message);
        Assert.Null(mitigated.Answer.Correct);
        Assert.Null(mitigated.WrongRestartOf);
        Assert.Contains("nothing was done", mitigated.Answer.Message);
        Assert.Equal(3, script.GameDay.Timeline.Count(entry => entry.Kind is TimelineKinds.Declare or TimelineKinds.Diagnose or TimelineKinds.Mitigate));
    }

    [Fact]
    public void A_correct_mitigation_ends_the_fault_once_and_a_wrong_restart_is_handed_to_the_lab()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        GameDayScript.Inject(round);

        var wrongWait = script.GameDay.Mitigate("blue", "wait", null);
        var wrongRestart = script.GameDay.Mitigate("blue", "restart", "db");
        var right = script.GameDay.Mitigate("blue", "start", "cache-proxy");
        var late = script.GameDay.Mitigate("blue", "restart", "cache");

        Assert.False(wrongWait.Answer.Correct);
        Assert.Null(wrongWait.WrongRestartOf);
        Assert.False(wrongRestart.Answer.Correct);
        Assert.Same(round, wrongRestart.WrongRestartOf);
        Assert.True(right.Answer.Correct);
        Assert.True(round.Control.Mitigated.IsCancellationRequested);
        Assert.Equal("start cache-proxy", round.Control.Mitigation!.Action);
        Assert.Null(late.Answer.Correct);
        Assert.Contains("already mitigated", late.Answer.Message);

        script.EndRound(round);
        Assert.Equal(2, round.Score!.WrongMitigations);
    }

    [Fact]
    public void Points_are_totalled_per_team_by_who_acted()
    {
        var script = new GameDayScript();
        var round = script.StartRound();
        GameDayScript.Inject(round);
        script.Wait(30);
        script.GameDay.Declare("blue", "incident");
        script.GameDay.Diagnose("red", "api", "crashed");
        script.EndRound(round);

        var byTeam = script.GameDay.PointsByTeam();

        Assert.Equal(29, byTeam["blue"]); // 20 + 10·(1 − 30/300)
        Assert.Equal(0, byTeam["red"]);
    }
}
