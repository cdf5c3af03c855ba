namespace Engine.Models.Hyper.Novelty;

/// <summary>
/// A trained generative model as novelty discovery (spec hypervae §10) sees it: images from a task
/// latent u and a data latent z, and u from an image through the hyper-encoder's posterior mean.
/// A plain VAE has no task level (<see cref="TaskLatents"/> = 0), so it can only be searched over z.
/// </summary>
public interface INoveltyGenerator
{
    /// <summary>Dimension of u; 0 when the model has no task level.</summary>
    int TaskLatents { get; }

    /// <summary>Dimension of z.</summary>
    int DataLatents { get; }

    /// <summary>Pixels per image.</summary>
    int Pixels { get; }

    /// <summary>u = μ(x): the posterior mean of q(u|d) with the image as the task summary d.</summary>
    double[] TaskLatentOf(float[] image);

    /// <summary>The network θ = g(u), generated once, as z ↦ Bernoulli means of decoder_θ(z).</summary>
    Func<double[], float[]> DecoderFor(double[] taskLatent);
}
