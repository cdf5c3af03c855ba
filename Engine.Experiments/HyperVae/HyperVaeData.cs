using Engine.Core;
using Engine.Experiments.Data;

namespace Engine.Experiments.HyperVae;

/// <summary>
/// The HyperVAE experiments' data (spec hypervae §5–7): statically binarised, labelled images —
/// MNIST (our seeded binarisation, 50k/10k/10k), Fashion-MNIST (one seeded binarisation), Omniglot
/// (our 28×28 downsampling, binarised once, tasks = alphabets).
/// </summary>
public sealed record HyperVaeData(string Name, ImageSet Train, ImageSet Test, int Classes, string Notes)
{
    public static IReadOnlyList<string> Names { get; } = ["mnist", "omniglot", "fashion-mnist"];

    /// <summary>The outlier source for each normal dataset (spec §7 default pairing).</summary>
    public static string OutlierSourceFor(string normal) => normal == "mnist" ? "omniglot" : "mnist";

    public static DatasetInfo InfoFor(string name) => name switch
    {
        "mnist" => Mnist.Info,
        "omniglot" => Omniglot.Info,
        "fashion-mnist" => FashionMnist.Info,
        _ => throw new ArgumentException($"hypervae: unknown dataset '{name}'."),
    };

    public static HyperVaeData Load(string name, RunContext context)
    {
        var folder = context.Data.Find(InfoFor(name));
        switch (name)
        {
            case "mnist":
            {
                var d = LabelledBinarizedMnist.Load(folder);
                return new(name, d.Train, d.Test, 10, d.Notes);
            }

            case "fashion-mnist":
            {
                var d = FashionMnist.Load(folder);
                var rng = new Rng(777);
                return new(name, Binary(d.Train, rng.Fork(1)), Binary(d.Test, rng.Fork(2)), 10, "Fashion-MNIST, one seeded static binarisation (seed 777).");
            }

            default:
            {
                var d = Omniglot.Dataset28(Omniglot.Load(folder)).Images;
                var rng = new Rng(778);
                var classes = d.Train.Labels.Concat(d.Test.Labels).Max() + 1;
                return new(name, Binary(d.Train, rng.Fork(1)), Binary(d.Test, rng.Fork(2)), classes,
                    $"{d.Notes} Binarised once (seed 778); tasks = alphabets. Not the IWAE chardata.mat split: numbers are not exactly comparable.");
            }
        }
    }

    private static ImageSet Binary(ImageSet grey, Rng rng) => new(Binarization.SampleOnce(grey, rng), grey.Labels, grey.Dim);
}
