namespace VokeTag.Experiments;

/// <summary>How a measured value must relate to a criterion's threshold; written <c>&lt;</c>, <c>&lt;=</c>, <c>&gt;</c>, <c>&gt;=</c> in files.</summary>
public enum Comparison
{
    LessThan,
    AtMost,
    GreaterThan,
    AtLeast,
}
