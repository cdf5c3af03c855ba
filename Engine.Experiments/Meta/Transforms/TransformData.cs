using Engine.Experiments.Data;
using Engine.Experiments.Data.Transforms;

namespace Engine.Experiments.Meta.Transforms;

/// <summary>
/// MNIST subsets for the transformed-MNIST rows (spec metavae §6): the first
/// <see cref="TransformProbeSettings.TrainImages"/> training images (meta-training datasets), the first
/// validation/probe images, each turned into one dataset per transformation value on demand.
/// </summary>
public sealed class TransformData
{
    private TransformData(ImageSet train, ImageSet test, string folder)
    {
        Train = train;
        Test = test;
        Folder = folder;
    }

    public ImageSet Train { get; }

    public ImageSet Test { get; }

    public string Folder { get; }

    public static TransformData Load(RunContext context)
    {
        var folder = context.Data.Find(Mnist.Info);
        var (train, test) = Mnist.Load(folder);
        return new TransformData(train, test, folder);
    }

    /// <summary>The first <paramref name="count"/> training (or test) images under one value of <paramref name="family"/>.</summary>
    public ImageSet Dataset(TransformFamily family, int valueIndex, bool test, int count) =>
        TransformedMnist.Apply((test ? Test : Train).Take(count), family, TransformedMnist.Values(family)[valueIndex]);

    /// <summary>Index of the identity value of a family (rotation 0, scale 1.0, shear 0).</summary>
    public static int IdentityIndex(TransformFamily family) =>
        TransformedMnist.Values(family).Select((v, i) => (v, i)).First(p => Math.Abs(p.v - (family == TransformFamily.Scale ? 1.0 : 0.0)) < 1e-9).i;

    public static string ValueText(TransformFamily family, double value) =>
        value.ToString(family == TransformFamily.Scale ? "0.0" : "0", System.Globalization.CultureInfo.InvariantCulture);
}
