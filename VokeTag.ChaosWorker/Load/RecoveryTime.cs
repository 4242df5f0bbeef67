namespace VokeTag.ChaosWorker.Load;

/// <summary>
/// Recovery time: from the rollback to the first moment after which the steady state holds for a sustained
/// window. Samples are grouped in slots of <see cref="Resolution"/> by when they were due; a slot is steady when
/// every one of its requests is (by default: answered, not a 5xx, and under the latency limit). Slots without
/// requests do not break a streak (at low rates most slots are empty).
/// </summary>
public static class RecoveryTime
{
    public static readonly TimeSpan Resolution = TimeSpan.FromMilliseconds(100);

    /// <summary>The default steady state: an answer that is not an error and came within the limit.</summary>
    public static Func<LoadSample, bool> AnsweredWithin(TimeSpan latencyLimit) =>
        sample => !sample.Failed && sample.Latency <= latencyLimit;

    /// <param name="samples">Samples of the recovery phase, <see cref="LoadSample.IntendedAt"/> counted from the rollback.</param>
    /// <returns>The recovery time, or null when the steady state never held for <paramref name="sustainFor"/>.</returns>
    public static TimeSpan? Measure(IEnumerable<LoadSample> samples, Func<LoadSample, bool> isSteady, TimeSpan sustainFor)
    {
        var slots = samples
            .GroupBy(sample => (long)(sample.IntendedAt / Resolution))
            .ToDictionary(slot => slot.Key, slot => slot.All(isSteady));
        if (slots.Count == 0)
        {
            return null;
        }

        var lastSlot = slots.Keys.Max();
        long? streakStart = null;
        for (var slot = 0L; slot <= lastSlot; slot++)
        {
            if (slots.TryGetValue(slot, out var steady))
            {
                streakStart = steady ? streakStart ?? slot : null;
            }

            if (streakStart is { } start && (slot - start + 1) * Resolution >= sustainFor)
            {
                return start * Resolution;
            }
        }

        return null;
    }
}
