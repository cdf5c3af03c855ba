using Engine.Core;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Sampling;

namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// Builds the tensors of one step — a mini-batch of rows and a context set per row — through one
/// reusable host buffer. Each call used to allocate fresh arrays (a default-preset step drew ten
/// 3 MB set arrays, all on the large-object heap, so every step paid page faults and gen-2
/// collections); the values, and the random draws that choose them, are the same.
/// </summary>
public sealed class SetBatchStaging
{
    private float[] _host = [];

    /// <summary>Rows <paramref name="indices"/> of <paramref name="images"/> as a [B, D] tensor.</summary>
    public Tensor Rows(ImageSet images, ReadOnlySpan<int> indices)
    {
        var pixels = Buffer(indices.Length * images.Dim);
        ShuffledBatches.Gather(images, indices, pixels);
        return Tensor.FromSpan<float>(pixels, new Shape(indices.Length, images.Dim));
    }

    /// <summary>A set of <paramref name="setSize"/> rows of <paramref name="pool"/> for each of <paramref name="rows"/> items, [rows, N, D] (see <see cref="SetSampler"/>).</summary>
    public Tensor Sets(ImageSet pool, int rows, int setSize, Rng rng)
    {
        var pixels = Buffer(rows * setSize * pool.Dim);
        SetSampler.Draw(pool, rows, setSize, rng, pixels);
        return Tensor.FromSpan<float>(pixels, new Shape(rows, setSize, pool.Dim));
    }

    private Span<float> Buffer(int length)
    {
        if (_host.Length < length)
        {
            _host = new float[length];
        }

        return _host.AsSpan(0, length);
    }
}
