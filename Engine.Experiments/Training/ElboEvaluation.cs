using Engine.Core;
using Engine.Models.Vae;

namespace Engine.Experiments.Training;

/// <summary>Mean −ELBO and its two terms over a fixed binary set, one z sample per image, no tape.</summary>
public static class ElboEvaluation
{
    /// <summary>Means over the images of −ELBO, reconstruction −log p(x|z) and KL(q(z|x) ‖ p(z)), in nats.</summary>
    public readonly record struct Result(double NegElbo, double Reconstruction, double Kl);

    /// <param name="data">[N, D] binary images, row-major.</param>
    /// <param name="rng">Noise for z; pass a generator with the same seed to compare models on the same ε.</param>
    public static Result Evaluate(MlpVae model, float[] data, int dim, Rng rng, int batch = 1000)
    {
        var count = data.Length / dim;
        double elbo = 0, reconstruction = 0, kl = 0;
        for (var start = 0; start < count; start += batch)
        {
            var rows = Math.Min(batch, count - start);
            using var scope = new TensorScope();
            using var noGrad = Tape.NoGrad();
            var x = Tensor.FromSpan<float>(data.AsSpan(start * dim, rows * dim), new Shape(rows, dim));
            var terms = model.Elbo(x, rng);
            elbo += terms.Loss.Item() * rows;
            reconstruction += terms.MeanReconstruction * rows;
            kl += terms.MeanKl * rows;
        }

        return new Result(elbo / count, reconstruction / count, kl / count);
    }
}
