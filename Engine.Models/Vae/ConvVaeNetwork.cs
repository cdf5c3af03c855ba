using Engine.Core;

namespace Engine.Models.Vae;

/// <summary>
/// The conv VAE as pure functions of its weights (spec hypervae §2): E1 conv 1→32 s2 → E2 conv 32→64
/// s2 → flatten 3136 → E3 dense 100 → heads μ, logvar (10); D1 dense 10→100 → D2 dense 100→3136 →
/// [64, 7, 7] → D3 convᵀ 64→32 → D4 convᵀ 32→1 (logits). 3×3 kernels, stride 2, padding 1, output
/// padding 1 (28→14→7→14→28). ReLU everywhere but the heads and the logits.
/// </summary>
public static class ConvVaeNetwork
{
    /// <summary>
    /// Samples per chunk of the decoder's transposed convolutions when no tape records: 64 samples' 14 × 14 × 32
    /// intermediates are 3.2 MB, which stay in L3 between the two layers.
    /// </summary>
    public const int TailChunk = 64;

    /// <summary>x [B, 784] → (μ, logvar) [B, M].</summary>
    public static (Tensor Mu, Tensor Logvar) Encode(ConvEncoderWeights w, Tensor x)
    {
        var image = Ops.Reshape(x, -1, 1, 28, 28);
        var h = Ops.Conv2d(image, w.Conv1W, w.Conv1B, stride: 2, padding: 1, relu: true);
        h = Ops.Conv2d(h, w.Conv2W, w.Conv2B, stride: 2, padding: 1, relu: true);
        var flat = Ops.Linear(Ops.Flatten(h), w.FcW, w.FcB, Activation.Relu);
        return (Ops.Linear(flat, w.MuW, w.MuB), Ops.Linear(flat, w.LogvarW, w.LogvarB));
    }

    /// <summary>z [..., M] → Bernoulli logits [..., 784].</summary>
    public static Tensor Decode(ConvDecoderWeights w, Tensor z)
    {
        var lead = z.Shape.Dims[..^1].ToArray();
        var flat = Ops.Reshape(z, -1, z.Shape[-1]);
        var h = Ops.Linear(flat, w.Dec1W, w.Dec1B, Activation.Relu);
        h = Ops.Linear(h, w.Dec2W, w.Dec2B, Activation.Relu);
        // without a tape, the transposed convolutions run TailChunk samples at a time (Ops.MapChunks), so their 14 × 14 × 32
        // intermediate stays in cache: the same values, bit for bit
        var image = Ops.MapChunks(Ops.Reshape(h, -1, 64, 7, 7), TailChunk, part =>
            Ops.ConvTranspose2d(
                Ops.ConvTranspose2d(part, w.ConvT1W, w.ConvT1B, stride: 2, padding: 1, outputPadding: 1, relu: true),
                w.ConvT2W, w.ConvT2B, stride: 2, padding: 1, outputPadding: 1));
        return Ops.Reshape(image, [.. lead, 784]);
    }
}
