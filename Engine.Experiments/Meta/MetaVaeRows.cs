using Engine.Experiments.Data;
using Engine.Experiments.Data.Transforms;
using Engine.Experiments.Meta.Transforms;

namespace Engine.Experiments.Meta;

/// <summary>The registry rows of MetaVAE (seed 001): Fig. 7, Tables 1–2 on MNIST and NORB, and the two demos.</summary>
public static class MetaVaeRows
{
    private static readonly TransformFamily[] Families = [TransformFamily.Rotation, TransformFamily.Scale, TransformFamily.Shear];
    private static readonly string[] NorbAxes = ["elevation", "azimuth", "lighting"];

    /// <summary>Seed Table 2, NORB rows (MetaVAE, VHE+VP, VHE accuracy).</summary>
    private static readonly Dictionary<string, double[]> NorbTable2 = new()
    {
        ["elevation"] = [0.601, 0.337, 0.309],
        ["azimuth"] = [0.592, 0.313, 0.286],
        ["lighting"] = [0.548, 0.357, 0.306],
    };

    /// <summary>Seed Table 1, NORB rows (elevation, azimuth, lighting distances).</summary>
    private static readonly Dictionary<string, double[]> NorbTable1 = new()
    {
        ["elevation"] = [0.39, 1.16, 1.27],
        ["azimuth"] = [1.42, 0.44, 1.26],
        ["lighting"] = [1.69, 1.27, 0.26],
    };

    public static IEnumerable<ExperimentSpec> All()
    {
        yield return new("metavae/mechanics",
            "Meta-compiled inference of friction on inclined planes: MSE over 304 test simulators (heat maps), MetaVAE vs a one-simulator network",
            [], () => new Demos.InclinedPlaneInference(), Table: "metavae/mechanics",
            Paper: [new("metavae_mse_in_range", Demos.InclinedPlaneInference.PaperMseBound, "Wu et al. (seed 001) §Compiled inference / Fig. 2c: MSE < 0.001 for A ∈ [20, 70], L ∈ [2, 20] (an upper bound read off the heat map)")]);
        yield return new("metavae/expfam",
            "Sufficient statistics of exponential families: parameter MSE curves, one-family MetaVAEs vs one-distribution VAEs, 90-dataset MetaVAE incl. held-out Weibull/Laplace/Beta",
            [], () => new Demos.ExponentialFamilyInference(), Table: "metavae/expfam");
        foreach (var family in Families)
        {
            var name = Name(family);
            var paper = TransformProbe.Paper(family);
            yield return new($"metavae/table2/{name}",
                $"MetaVAE vs VHE+VampPrior vs VHE on held-out {name}s of MNIST (contiguous split): logistic-regression probe accuracy",
                [Mnist.Info], () => new TransformProbe(family, MetaSplit.Contiguous, TransformProbe.Table2Models, table2: true),
                Table: "metavae/table2",
                Paper: TransformProbe.Table2Models.Select(m => new PaperValue($"{m}_mean_acc", paper[m], $"Wu et al. (seed 001) Table 2: {Adjective(family)} MNIST, {RepresentationLearner.Label(m)}")).ToArray());
        }

        foreach (var axis in NorbAxes)
        {
            yield return new($"metavae/table2/norb-{axis}", $"MetaVAE vs VHE+VP vs VHE on held-out NORB {axis}s (needs small NORB: data unavailable here)",
                [SmallNorb.Info], () => new NorbUnavailable($"metavae/table2/norb-{axis}"), Table: "metavae/table2",
                Paper: TransformProbe.Table2Models.Select((m, i) => new PaperValue($"{m}_mean_acc", NorbTable2[axis][i], $"Wu et al. (seed 001) Table 2: NORB {axis}, {RepresentationLearner.Label(m)}")).ToArray());
        }

        foreach (var family in Families)
        {
            var name = Name(family);
            var paper = InvarianceDistances.Paper(family);
            yield return new($"metavae/table1/{name}", $"L2 distance between MetaVAE representations of a base image and its transforms, model amortised over {name}s (interleaved)",
                [Mnist.Info], () => new InvarianceDistances(family), Table: "metavae/table1",
                Paper: Families.Select((f, i) => new PaperValue($"distance_{InvarianceDistances.Column(f)}", paper[i], $"Wu et al. (seed 001) Table 1: MNIST {name} model, {InvarianceDistances.Column(f)} column")).ToArray());
        }

        foreach (var axis in NorbAxes)
        {
            yield return new($"metavae/table1/norb-{axis}", $"L2 invariance distances of a MetaVAE amortised over NORB {axis}s (needs small NORB: data unavailable here)",
                [SmallNorb.Info], () => new NorbUnavailable($"metavae/table1/norb-{axis}"), Table: "metavae/table1",
                Paper: NorbAxes.Select((c, i) => new PaperValue($"distance_{c}", NorbTable1[axis][i], $"Wu et al. (seed 001) Table 1: NORB {axis} model, {c} column")).ToArray());
        }

        foreach (var split in new[] { MetaSplit.Interleaved, MetaSplit.Sparse, MetaSplit.Contiguous })
        {
            var splitName = split.ToString().ToLowerInvariant();
            foreach (var family in Families)
            {
                yield return new($"metavae/fig7/{splitName}/{Name(family)}",
                    $"Fig. 7: probe accuracy per held-out {Name(family)} of MNIST ({splitName} split), MetaVAE vs VHE vs NS; SVG curves",
                    [Mnist.Info], () => new TransformProbe(family, split, TransformProbe.Fig7Models, table2: false), Table: "metavae/fig7");
            }

            foreach (var axis in NorbAxes)
            {
                yield return new($"metavae/fig7/{splitName}/norb-{axis}", $"Fig. 7: probe accuracy per held-out NORB {axis} ({splitName} split; needs small NORB: data unavailable here)",
                    [SmallNorb.Info], () => new NorbUnavailable($"metavae/fig7/{splitName}/norb-{axis}"), Table: "metavae/fig7");
            }
        }
    }

    private static string Adjective(TransformFamily family) => family switch
    {
        TransformFamily.Rotation => "rotated",
        TransformFamily.Scale => "scaled",
        _ => "sheared",
    };

    private static string Name(TransformFamily family) => family switch
    {
        TransformFamily.Rotation => "rotation",
        TransformFamily.Scale => "scale",
        _ => "shear",
    };
}
