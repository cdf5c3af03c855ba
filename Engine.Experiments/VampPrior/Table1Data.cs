using Engine.Core;
using Engine.Experiments.Data;
using Engine.Models.Likelihoods;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// One dataset of seed 002's Table 1 as the VAE sees it (spec datasets.md §2, §4–6): flattened
/// images in [0, 1], the likelihood, and the VampPrior pseudo-input init of the reference loaders.
/// </summary>
public sealed record Table1Data(string Name, float[] Train, float[] Validation, float[] Test, int Dim, int Height, ILikelihood Likelihood, double PseudoMean, double PseudoStd, string Notes)
{
    public int TrainCount => Train.Length / Dim;

    /// <summary>Image width for figures (all Table 1 images are 28 rows high; Frey Faces are 20 wide).</summary>
    public int Width => Dim / Height;

    /// <summary>Table 1 datasets by the ids of our experiment rows.</summary>
    public static IReadOnlyList<string> Names { get; } = ["static-mnist", "fashion-mnist", "caltech101", "frey"];

    /// <summary>The catalogue entry each row reads.</summary>
    public static DatasetInfo InfoFor(string name) => name switch
    {
        "static-mnist" => StaticBinarizedMnist.Info,
        "fashion-mnist" => FashionMnist.Info,
        "caltech101" => Caltech101Silhouettes.Info,
        "frey" => FreyFaces.Info,
        _ => throw new ArgumentException($"vampprior/table1: unknown dataset '{name}'."),
    };

    public static Table1Data Load(string name, RunContext context)
    {
        var folder = context.Data.Find(InfoFor(name));
        switch (name)
        {
            case "static-mnist":
            {
                // Larochelle's fixed binarisation; the reference shuffles train once.
                var d = StaticBinarizedMnist.Load(folder);
                var order = new Rng(14).Permutation(d.Train.Count);
                return new(name, Gather(d.Train, order), d.Validation!.Pixels, d.Test.Pixels, d.Dim, 28, new BernoulliLikelihood(), 0.05, 0.01,
                    $"{d.Notes} Test set is sorted by digit: IS-NLL subsets are taken with a stride.");
            }

            case "fashion-mnist":
            {
                // [choice] one seeded static binarisation of the grey images; validation = last 10,000 of train.
                var d = FashionMnist.Load(folder);
                var rng = new Rng(777);
                var train = d.Train.Slice(0, d.Train.Count - 10_000);
                var validation = d.Train.Slice(d.Train.Count - 10_000, 10_000);
                return new(name, Binarization.SampleOnce(train, rng.Fork(1)), Binarization.SampleOnce(validation, rng.Fork(2)), Binarization.SampleOnce(d.Test, rng.Fork(3)),
                    d.Dim, 28, new BernoulliLikelihood(), 0.05, 0.01, "Fashion-MNIST statically binarised once (seed 777), last 10,000 training images as validation.");
            }

            case "caltech101":
            {
                var d = Caltech101Silhouettes.Load(folder);
                var order = new Rng(14).Permutation(d.Train.Count);
                return new(name, Gather(d.Train, order), d.Validation!.Pixels, d.Test.Pixels, d.Dim, 28, new BernoulliLikelihood(), 0.5, 0.02, d.Notes);
            }

            default:
            {
                var d = FreyFaces.Load(folder);
                return new(name, d.Train.Pixels, d.Validation!.Pixels, d.Test.Pixels, d.Dim, FreyFaces.Rows, new DiscretizedLogisticLikelihood(), 0.5, 0.02,
                    $"{d.Notes} Discretised logistic likelihood (256 bins), as the VampPrior code.");
            }
        }
    }

    private static float[] Gather(ImageSet images, int[] order)
    {
        var result = new float[images.Pixels.Length];
        for (var i = 0; i < order.Length; i++)
        {
            images.Row(order[i]).CopyTo(result.AsSpan(i * images.Dim, images.Dim));
        }

        return result;
    }
}
