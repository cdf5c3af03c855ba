using Engine.Core;

namespace Engine.Models.Hyper.Novelty;

/// <summary>A plain VAE as a novelty generator: no task level, images = sigmoid(decoder(z)) of its one fixed decoder.</summary>
public sealed class VaeGenerator(Func<Tensor, Tensor> decodeLogits, int dataLatents, int pixels = 784) : INoveltyGenerator
{
    public int TaskLatents => 0;

    public int DataLatents => dataLatents;

    public int Pixels => pixels;

    public double[] TaskLatentOf(float[] image) =>
        throw new NotSupportedException("VaeGenerator: a plain VAE has no task latent u; search z only (one step).");

    public Func<double[], float[]> DecoderFor(double[] taskLatent) => taskLatent.Length == 0
        ? z => LatentDecoder.Image(decodeLogits, z, dataLatents)
        : throw new ArgumentException($"VaeGenerator: a plain VAE takes no task latent, got {taskLatent.Length} values.");
}
