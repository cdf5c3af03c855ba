namespace Engine.Experiments.Data;

/// <summary>Every dataset the engine can load, in the order the <c>datasets</c> command lists them.</summary>
public static class DatasetCatalog
{
    public static IReadOnlyList<CatalogEntry> All { get; } =
    [
        new("mnist", "MNIST, grey 28×28, labels 0–9 (LeCun)", Mnist.Info, folder => Mnist.LoadDataset(folder)),
        new("mnist-dynamic", "MNIST dynamically binarised (train grey, resampled per batch; validation/test sampled once, seed 777)", Mnist.Info, folder => DynamicBinarizedMnist.Load(folder)),
        new("mnist-binarized-seeded", $"MNIST statically binarised by us with seed {LabelledBinarizedMnist.DefaultSeed}, labelled, 50k/10k/10k", Mnist.Info, folder => LabelledBinarizedMnist.Load(folder)),
        new("binarized_mnist", "Static binarised MNIST of Larochelle & Murray, 50k/10k/10k, unlabelled", StaticBinarizedMnist.Info, folder => StaticBinarizedMnist.Load(folder)),
        new("fashion-mnist", "Fashion-MNIST, grey 28×28, 10 classes (Zalando)", FashionMnist.Info, folder => FashionMnist.Load(folder)),
        new("omniglot", "Omniglot, our 28×28 area-averaged downsampling, labelled by alphabet (105×105 originals previewed too)", Omniglot.Info, LoadOmniglot),
        new("caltech101_silhouettes", "Caltech 101 Silhouettes 28×28, binary, 101 classes", Caltech101Silhouettes.Info, folder => Caltech101Silhouettes.Load(folder)),
        new("frey_faces", "Frey Faces 28×20 grey, (v + 0.5)/256, seeded 1565/200/200 split", FreyFaces.Info, folder => FreyFaces.Load(folder)),
    ];

    /// <summary>The entries whose id starts with <paramref name="prefix"/> (all when null or empty).</summary>
    public static IReadOnlyList<CatalogEntry> Match(string? prefix) =>
        string.IsNullOrEmpty(prefix) ? All : All.Where(e => e.Id.StartsWith(prefix, StringComparison.Ordinal)).ToArray();

    private static LoadedDataset LoadOmniglot(string folder)
    {
        var images = Omniglot.Load(folder);
        var dataset = Omniglot.Dataset28(images);
        var first = images.ToImageSet(Enumerable.Range(0, Math.Min(64, images.Count)).ToArray());
        return new LoadedDataset(dataset.Images, [new DatasetPreview("105", first.Pixels, first.Count, OmniglotImages.Side, OmniglotImages.Side)]);
    }
}
