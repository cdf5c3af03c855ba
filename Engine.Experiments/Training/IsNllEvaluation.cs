using System.Diagnostics;
using Engine.Core;
using Engine.Models.Vae;

namespace Engine.Experiments.Training;

/// <summary>
/// Importance-sampled negative log-likelihood, −log p(x) ≈ −log (1/S) Σ_s p(x|z_s) p(z_s)/q(z_s|x)
/// with z_s ~ q(z|x) (Burda et al. 2016, eq. 15 with k = S), averaged over images; no tape.
/// </summary>
public static class IsNllEvaluation
{
    /// <summary>Mean −log p(x) in nats over the images, its standard error across images, and each image's −log p(x).</summary>
    public readonly record struct Result(double Mean, double StandardError, int Images, int Samples, double Seconds, double[] PerImage);

    /// <param name="data">[N, D] binary images, row-major; the first <paramref name="images"/> are used.</param>
    /// <param name="imagesPerCall">Images encoded together; their samples are decoded as one [chunk, images, Z] batch.</param>
    /// <param name="cancellation">Ctrl-C: stops between batches with <see cref="RunInterruptedException"/> (the trained weights are already checkpointed).</param>
    public static Result Evaluate(MlpVae model, float[] data, int dim, int images, int samples, Rng rng, int imagesPerCall, int chunk, ProgressLog log, CancellationToken cancellation = default)
    {
        images = Math.Min(images, data.Length / dim);
        var clock = Stopwatch.StartNew();
        var nll = new double[images];
        var nextReport = images / 10;
        for (var start = 0; start < images; start += imagesPerCall)
        {
            if (cancellation.IsCancellationRequested)
            {
                throw new RunInterruptedException($"interrupted during the IS-NLL evaluation ({start}/{images} images); training is checkpointed, so rerunning with --resume only repeats the evaluation.");
            }

            var rows = Math.Min(imagesPerCall, images - start);
            using (var scope = new TensorScope())
            using (Tape.NoGrad())
            {
                var x = Tensor.FromSpan<float>(data.AsSpan(start * dim, rows * dim), new Shape(rows, dim));
                var ll = model.ImportanceSampledLogLikelihood(x, rng, samples, chunk);
                for (var i = 0; i < rows; i++)
                {
                    nll[start + i] = -ll[i];
                }
            }

            var done = start + rows;
            var elapsed = clock.Elapsed.TotalSeconds;
            if (done >= nextReport && done < images && elapsed > 5) // every 10 %, only when it takes a while
            {
                log.Line($"is-nll  {done}/{images} images  mean so far {nll.Take(done).Average():F2}  {elapsed:F0}s  eta {ProgressLog.Duration(elapsed / done * (images - done))}");
            }

            if (done >= nextReport)
            {
                nextReport = done + images / 10;
            }
        }

        var mean = nll.Average();
        var variance = images > 1 ? nll.Sum(v => (v - mean) * (v - mean)) / (images - 1) : 0;
        return new Result(mean, Math.Sqrt(variance / images), images, samples, clock.Elapsed.TotalSeconds, nll);
    }
}
