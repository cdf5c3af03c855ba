namespace Engine.Models.Hyper.Novelty;

/// <summary>
/// The novelty-discovery objective of spec hypervae §10: F(x) = ⟨x, t⟩ / (‖x‖ ‖t‖) between a
/// generated image x (Bernoulli means, flattened) and the target exemplar t, in double precision.
/// </summary>
public static class CosineSimilarity
{
    /// <summary>
    /// cos(candidate, target). A zero candidate has no direction and scores 0 (a generator can output
    /// one); a zero target is a bad input, since no image could be similar to it.
    /// </summary>
    public static double Of(ReadOnlySpan<float> candidate, ReadOnlySpan<float> target)
    {
        if (candidate.Length != target.Length)
        {
            throw new ArgumentException($"CosineSimilarity: candidate has {candidate.Length} values but the target {target.Length}.");
        }

        double dot = 0, candidateNorm = 0, targetNorm = 0;
        for (var i = 0; i < target.Length; i++)
        {
            dot += (double)candidate[i] * target[i];
            candidateNorm += (double)candidate[i] * candidate[i];
            targetNorm += (double)target[i] * target[i];
        }

        if (!(targetNorm > 0) || !double.IsFinite(targetNorm))
        {
            throw new ArgumentException("CosineSimilarity: the target is all zero (or not finite); it has no direction to be similar to.");
        }

        return candidateNorm > 0 ? dot / Math.Sqrt(candidateNorm * targetNorm) : 0;
    }
}
