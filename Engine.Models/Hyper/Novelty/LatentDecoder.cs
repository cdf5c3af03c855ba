using Engine.Core;

namespace Engine.Models.Hyper.Novelty;

/// <summary>Runs a logit decoder on one latent point and returns the Bernoulli means, freeing every temporary.</summary>
internal static class LatentDecoder
{
    public static float[] Image(Func<Tensor, Tensor> decodeLogits, double[] z, int latents)
    {
        if (z.Length != latents)
        {
            throw new ArgumentException($"Novelty decoder: z has {latents} dimensions, got {z.Length}.");
        }

        using var noGrad = Tape.NoGrad();
        using var scope = new TensorScope();
        return Ops.Sigmoid(decodeLogits(Tensor.FromArray(z.Select(v => (float)v).ToArray(), 1, latents))).ToFloatArray();
    }
}
