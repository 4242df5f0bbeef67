namespace VokeTag.SlackMessage;

/// <summary>One experiment run as its <c>junit.xml</c> tells it: how it ended, and which criteria did not hold.</summary>
/// <param name="Status">The worker's run status: <c>passed</c>, <c>failed</c>, <c>aborted</c>, <c>interrupted</c> or <c>error</c>.</param>
/// <param name="Reason">Why a run did not complete (its <c>run</c> test case), e.g. the guardrail that aborted it.</param>
public sealed record RunOutcome(string Experiment, string RunId, string Status, string? Reason, IReadOnlyList<FailedCriterion> FailedCriteria)
{
    public bool Held => Status == "passed";
}

/// <summary>A criterion that did not hold, e.g. <c>error-rate</c>: "Requests keep succeeding (error-rate 10.4%, expected &lt; 10%)".</summary>
public sealed record FailedCriterion(string Name, string Message);
