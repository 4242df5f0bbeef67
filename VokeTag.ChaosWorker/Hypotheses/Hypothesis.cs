namespace VokeTag.ChaosWorker.Hypotheses;

/// <summary>A stated hypothesis — "when Redis fails, reads fall back to PostgreSQL…" — and the criteria that test it.</summary>
public sealed record Hypothesis(string Statement, IReadOnlyList<Criterion> Criteria)
{
    public HypothesisVerdict Judge(RunFigures figures) =>
        new(this, [.. Criteria.Select(criterion => criterion.Evaluate(figures))]);
}

/// <summary>The hypothesis holds only when every criterion passed.</summary>
public sealed record HypothesisVerdict(Hypothesis Hypothesis, IReadOnlyList<CriterionResult> Results)
{
    public bool Holds => Results.All(result => result.Passed);

    public IEnumerable<CriterionResult> Failures => Results.Where(result => !result.Passed);
}
