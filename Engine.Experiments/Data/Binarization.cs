using System.Numerics.Tensors;
using Engine.Core;

namespace Engine.Experiments.Data;

/// <summary>
/// Bernoulli(pixel) sampling of grey images: x = 1 with probability p, else 0. "Dynamic"
/// binarisation calls <see cref="Sample"/> on every batch with a generator forked per epoch;
/// evaluation sets are sampled once with a fixed seed (<see cref="SampleOnce"/>) so every model
/// is scored on the same binary images (spec/datasets.md §10).
/// </summary>
public static class Binarization
{
    private const int ChunkRows = 1000;

    /// <summary>destination[i] = (u_i &lt; p[i]) ? 1 : 0 with u_i ~ U[0, 1) from <paramref name="rng"/> (consumes p.Length draws).</summary>
    public static void Sample(ReadOnlySpan<float> probabilities, Span<float> destination, Rng rng)
    {
        if (destination.Length != probabilities.Length)
        {
            throw new ArgumentException($"Binarization.Sample: {probabilities.Length} probabilities but room for {destination.Length} values.");
        }

        if (probabilities.IsEmpty)
        {
            return;
        }

        // The uniforms come from the backend's vectorised counter-based kernel, straight into the destination.
        using var scope = new TensorScope();
        var u = rng.Uniform(new Shape(probabilities.Length));
        u.Backend.Download(u.View, destination);

        // (u < p) ? 1 : 0 with whole-span operations: p − u > 0 exactly when u < p (a float
        // difference is 0 only for equal operands); ceil, then clamping to [0, 1], maps positive
        // differences to 1 and the rest to +0 (Max ranks +0 above −0), also for p outside [0, 1].
        // Same bits as the scalar comparison, much faster. A NaN probability compares false: 0.
        TensorPrimitives.Subtract(probabilities, destination, destination);
        TensorPrimitives.Ceiling(destination, destination);
        TensorPrimitives.Min(destination, 1f, destination);
        TensorPrimitives.Max(destination, 0f, destination);
        if (destination.IndexOfAnyExcept(0f, 1f) >= 0)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                destination[i] = float.IsNaN(destination[i]) ? 0f : destination[i];
            }
        }
    }

    /// <summary>
    /// One binary sample of every image of <paramref name="images"/> ([N, D], row-major). The result
    /// depends only on the generator's seed, not on the chunking used here.
    /// </summary>
    public static float[] SampleOnce(ImageSet images, Rng rng)
    {
        var result = new float[images.Pixels.Length];
        var chunk = ChunkRows * images.Dim;
        for (var start = 0; start < result.Length; start += chunk)
        {
            var n = Math.Min(chunk, result.Length - start);
            Sample(images.Pixels.AsSpan(start, n), result.AsSpan(start, n), rng);
        }

        return result;
    }
}
