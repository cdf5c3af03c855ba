using Engine.Core;

namespace Engine.Models.Hyper.Novelty;

/// <summary>HyperVAE as a novelty generator: u = μ(d) from the hyper-encoder, θ = g(u), images = sigmoid(decoder_θ(z)).</summary>
public sealed class HyperVaeGenerator(HyperVae model) : INoveltyGenerator
{
    public int TaskLatents => model.Options.TaskLatents;

    public int DataLatents => model.Options.DataLatents;

    public int Pixels => 784;

    public double[] TaskLatentOf(float[] image)
    {
        if (image.Length != Pixels)
        {
            throw new ArgumentException($"HyperVaeGenerator: an image has {Pixels} pixels, got {image.Length}.");
        }

        using var noGrad = Tape.NoGrad();
        using var scope = new TensorScope();
        return model.EncodeTask(Tensor.FromArray(image, 1, Pixels)).Mu.ToDoubleArray();
    }

    public Func<double[], float[]> DecoderFor(double[] taskLatent)
    {
        if (taskLatent.Length != TaskLatents)
        {
            throw new ArgumentException($"HyperVaeGenerator: u has {TaskLatents} dimensions, got {taskLatent.Length}.");
        }

        // θ lives as long as the returned function (left to the GC or the caller's scope); each image's temporaries are freed at once.
        Engine.Models.Vae.ConvDecoderWeights decoder;
        using (Tape.NoGrad())
        {
            decoder = model.Decoder.Generate(Tensor.FromArray(taskLatent.Select(v => (float)v).ToArray(), 1, TaskLatents)).Decoder;
        }

        return z => LatentDecoder.Image(zt => Engine.Models.Vae.ConvVaeNetwork.Decode(decoder, zt), z, DataLatents);
    }
}
