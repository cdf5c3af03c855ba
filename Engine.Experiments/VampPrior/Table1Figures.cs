using Engine.Core;
using Engine.Experiments.Reporting.Figures;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// The figures of a vampprior row (seed 002 Figs. 6–8): pseudo-inputs (VampPrior rows), test images
/// above their reconstructions, samples from the prior, and the histogram of per-image test log p(x).
/// Grey images show the likelihood's mean (Bernoulli: σ(logits); discretised logistic: its m).
/// </summary>
public static class Table1Figures
{
    public const string PseudoInputsFile = "pseudo_inputs.png";
    public const string ReconstructionsFile = "reconstructions.png";
    public const string SamplesFile = "samples.png";
    public const string HistogramFile = "test_ll_histogram.svg";
    public const ulong SampleStream = 10;

    private const int Count = 64;
    private const int Columns = 8;

    /// <summary>Writes the figures into <paramref name="folder"/> and returns their file names.</summary>
    public static IReadOnlyList<string> Write(string folder, Table1Model model, Table1Data data, Table1Evaluation evaluation, Rng rng, string title)
    {
        var (h, w, d) = (data.Height, data.Width, data.Dim);
        var files = new List<string>();
        using (new TensorScope())
        using (Tape.NoGrad())
        {
            if (model.PseudoInputs() is { } pseudo)
            {
                var k = Math.Min(Count, pseudo.Shape[0]);
                ImageGrid.Write(Path.Combine(folder, PseudoInputsFile), pseudo.ToFloatArray(), k, h, w, Columns);
                files.Add(PseudoInputsFile);
            }

            var pairs = Math.Min(Count / 2, evaluation.Count);
            // Spread over the evaluated images: sorted test sets (static MNIST) would otherwise show one class.
            var originals = Enumerable.Range(0, pairs).SelectMany(i => evaluation.Images.AsSpan(i * (evaluation.Count / pairs) * d, d).ToArray()).ToArray();
            var reconstructions = model.Reconstruct(Tensor.FromArray(originals, pairs, d)).ToFloatArray();
            ImageGrid.WritePairs(Path.Combine(folder, ReconstructionsFile), originals, reconstructions, pairs, h, w, Columns);
            ImageGrid.Write(Path.Combine(folder, SamplesFile), model.Sample(Count, rng.Fork(SampleStream)).ToFloatArray(), Count, h, w, Columns);
            files.AddRange([ReconstructionsFile, SamplesFile]);
        }

        Histogram.Write(Path.Combine(folder, HistogramFile), evaluation.LogLikelihoods, 40,
            new ChartOptions($"{title}: test log p(x), S={evaluation.Samples}, {evaluation.Count} images", "log p(x) [nats]", "images"));
        files.Add(HistogramFile);
        return files;
    }
}
