using Engine.Experiments.Data;
using Engine.Experiments.Vae;

namespace Engine.Experiments;

/// <summary>Every experiment the console knows, in the order `list` shows them.</summary>
public static class Registry
{
    public static IReadOnlyList<ExperimentSpec> All { get; } =
    [
        new("vae/mnist/mlp",
            "MLP VAE 784-300-300-40 (Bernoulli, standard prior) on dynamically binarised MNIST; test -ELBO and IS-NLL",
            [Mnist.Info],
            () => new MnistMlpVae(),
            Table: "vae/mnist",
            Paper:
            [
                new("test_is_nll", 86.76,
                    "Burda et al. 2016 (IWAE), Table 1: VAE, one stochastic layer, k = 1, test NLL on dynamically binarised MNIST. "
                    + "A reference point, not a reproduction: their network is 784-200-200-50 (tanh), trained for 3,280 epochs"),
            ]),
        new("metavae/mog",
            "MetaVAE vs VAE clustering unseen two-Gaussian mixtures (N = 10, 20, 50 training mixtures); cluster error",
            [],
            () => new Meta.MixtureClustering(),
            Table: "metavae/mog",
            Paper:
            [
                new("vae_error", 27.9, "Wu et al. (MetaVAE), clustering demo: VAE"),
                new("metavae_n10_error", 21.2, "Wu et al. (MetaVAE), clustering demo: N = 10"),
                new("metavae_n20_error", 15.8, "Wu et al. (MetaVAE), clustering demo: N = 20"),
                new("metavae_n50_error", 9.9, "Wu et al. (MetaVAE), clustering demo: N = 50"),
            ]),
        .. Meta.MetaVaeRows.All(),
        .. IwaeRows(),
        .. VampPriorRows(),
        new("vampprior/fig5",
            "VampPrior VAE on static MNIST: test LL against the number of pseudo-inputs K (one training per K) beside seed 002's Fig. 5",
            [VampPrior.Table1Data.InfoFor(VampPrior.VampPriorFig5.Dataset)],
            () => new VampPrior.VampPriorFig5(),
            Table: "vampprior/fig5",
            Paper: VampPrior.VampPriorFig5.PaperValues),
        new("hypervae/table2", "Exact parameter counts of our VAE, MetaVAE and HyperVAE beside the seed's Table 2", [], () => new HyperVae.HyperVaeTable2(),
            Table: "hypervae/table2",
            Paper: [new("vae_total", 890_000, "HyperVAE (seed 000) Table 2: VAE total, 890 k (does not reproduce, spec §8)"), new("hypervae_total", 890_000, "HyperVAE (seed 000) Table 2: HyperVAE total, 890 k")]),
        .. HyperVaeRows(),
        .. HyperVaePairRows(),
        .. HyperVaeFig2Rows(),
        .. HyperNetRows(),
    ];

    /// <summary>hypernet/*: Deutsch et al. (seed 004), spec hypernetwork.md.</summary>
    private static IEnumerable<ExperimentSpec> HyperNetRows() =>
    [
        .. new[] { 1e3, 1e5 }.Select(lambda => new ExperimentSpec(
            $"hypernet/mnist/lambda{lambda:0e0}",
            $"Hypernetwork generating diverse MNIST classifiers (λ = {lambda:G3}): accuracy histogram, majority-vote ensembles, PCA of generated weights",
            [Mnist.Info],
            () => new HyperNet.HyperNetMnist(lambda),
            Table: "hypernet/mnist",
            Paper: lambda == 1e3
                ?
                [
                    new("validation_ensemble_accuracy", HyperNet.HyperNetMnist.PaperEnsembleAccuracy, "Deutsch et al. (seed 004): 20 ensembles × 200 generated nets (λ = 1e3), majority vote, 'validation set'"),
                    new("test_ensemble_accuracy", HyperNet.HyperNetMnist.PaperEnsembleAccuracy, "the same number; the reference code scores the 10,000 test images"),
                ]
                : [])),
        new("hypernet/toy", "Toy problem: 1-D noise → 2-D generator over a 10-peak mixture score; the path figure (peaks visited, spacing vs score)", [], () => new HyperNet.HyperNetToy(), Table: "hypernet/toy"),
        new("hypernet/paths", "Test accuracy along interpolated (in z) vs direct (in weight space) paths between generated MNIST nets", [Mnist.Info], () => new HyperNet.HyperNetPaths(), Table: "hypernet/paths"),
        new("hypernet/adversarial", "Targeted FGSM success vs ε for one generated MNIST net and a majority-vote ensemble", [Mnist.Info], () => new HyperNet.HyperNetAdversarial(), Table: "hypernet/adversarial"),
        new("hypernet/distill", "Average of generated MNIST weight vectors as one net vs the ensemble of the same nets", [Mnist.Info], () => new HyperNet.HyperNetDistill(), Table: "hypernet/distill"),
        new("hypernet/cifar/lenet", "Table 1 LeNet row: hypernetwork with entropy on CIFAR-10, mean and majority vote of 10 samples", [Cifar10.Info], () => new HyperNet.HyperNetCifarLenet(),
            Table: "hypernet/cifar",
            Paper:
            [
                new("net_accuracy_mean", HyperNet.HyperNetCifarLenet.PaperMeanAccuracy, "seed 004 Table 1: LeNet, HN with entropy, mean of 10 samples"),
                new("majority_accuracy", HyperNet.HyperNetCifarLenet.PaperMajorityAccuracy, "seed 004 Table 1: LeNet, HN with entropy, majority vote of 10"),
            ]),
    ];

    /// <summary>hypervae/table1/&lt;dataset&gt;/&lt;model&gt; and hypervae/table3/&lt;normal&gt;/&lt;model&gt;.</summary>
    private static IEnumerable<ExperimentSpec> HyperVaeRows() =>
        from table in new[] { 1, 3 }
        from dataset in HyperVae.HyperVaeData.Names
        from model in HyperVae.HyperVaeTable.Models
        select new ExperimentSpec(
            $"hypervae/table{table}/{dataset}/{model}",
            table == 1
                ? $"{model} density estimation on {dataset} (−EL, recon NLL, IS-NLL, KL) beside seed 000's Table 1"
                : $"{model} outlier detection, normal {dataset}, outliers {HyperVae.HyperVaeData.OutlierSourceFor(dataset)} (AUC, FPR, FNR) beside seed 000's Table 3",
            table == 1 ? [HyperVae.HyperVaeData.InfoFor(dataset)] : [HyperVae.HyperVaeData.InfoFor(dataset), HyperVae.HyperVaeData.InfoFor(HyperVae.HyperVaeData.OutlierSourceFor(dataset))],
            () => new HyperVae.HyperVaeTable(table, dataset, model),
            Table: $"hypervae/table{table}",
            Paper: HyperVae.HyperVaeTable.PaperValues(table, dataset, model));

    /// <summary>
    /// hypervae/table3-pairs/&lt;normal&gt;/&lt;outliers&gt;/&lt;model&gt;: the supplementary outlier table over all six
    /// ordered dataset pairs (spec §7); the three default pairs carry the seed's Table 3 numbers.
    /// </summary>
    private static IEnumerable<ExperimentSpec> HyperVaePairRows() =>
        from normal in HyperVae.HyperVaeData.Names
        from outliers in HyperVae.HyperVaeData.Names
        where outliers != normal
        from model in HyperVae.HyperVaeTable.Models
        select new ExperimentSpec(
            $"hypervae/table3-pairs/{normal}/{outliers}/{model}",
            $"{model} outlier detection, normal {normal}, 20 % outliers from {outliers} (AUC, FPR/FNR at the Youden and equal-error thresholds)",
            [HyperVae.HyperVaeData.InfoFor(normal), HyperVae.HyperVaeData.InfoFor(outliers)],
            () => new HyperVae.HyperVaeTable(3, normal, model, outliers),
            Table: "hypervae/table3-pairs",
            Paper: outliers == HyperVae.HyperVaeData.OutlierSourceFor(normal) ? HyperVae.HyperVaeTable.PaperValues(3, normal, model) : [],
            Reported: (model == "metavae" ? new[] { "metavae-kl", "metavae-el" } : [model]).SelectMany(n => new[] { $"{n}_auc", $"{n}_fpr", $"{n}_fnr" }).ToArray());

    /// <summary>hypervae/fig2/&lt;digit&gt;: novelty discovery with digit 0…9 held out (seed 000 Fig. 2; images only, no numbers to compare).</summary>
    private static IEnumerable<ExperimentSpec> HyperVaeFig2Rows() =>
        from digit in Enumerable.Range(0, 10)
        select new ExperimentSpec(
            $"hypervae/fig2/{digit}",
            $"Novelty discovery, MNIST digit {digit} held out: BO over the latents of HyperVAE (iterative u update) and the VAE for the most cosine-similar image",
            [Mnist.Info],
            () => new HyperVae.HyperVaeFig2(digit),
            Table: "hypervae/fig2",
            Reported: HyperVae.HyperVaeFig2.Reported);

    /// <summary>vampprior/table1/&lt;dataset&gt;/&lt;prior&gt;: seed 002's Table 1 plus our MoG and HVAE rows.</summary>
    private static IEnumerable<ExperimentSpec> VampPriorRows() =>
        from dataset in VampPrior.Table1Data.Names
        from prior in VampPrior.VampPriorTable1.Priors
        select new ExperimentSpec(
            $"vampprior/table1/{dataset}/{prior}",
            $"MLP VAE (z 40) with the {prior} prior on {dataset}; test LL (IS), ELBO, KL beside seed 002",
            [VampPrior.Table1Data.InfoFor(dataset)],
            () => new VampPrior.VampPriorTable1(dataset, prior),
            Table: "vampprior/table1",
            Paper: double.IsNaN(VampPrior.VampPriorTable1.PaperLogLikelihood(dataset, prior))
                ? []
                : [new("test_log_likelihood", VampPrior.VampPriorTable1.PaperLogLikelihood(dataset, prior), $"seed 002 Table 1: {dataset}, {prior} (1,000 epochs, S = 5000)")]);

    /// <summary>iwae/table/{1layer,2layer}/{vae,iwae}/k{1,5,50}: the twelve cells of the seed-003 table.</summary>
    private static IEnumerable<ExperimentSpec> IwaeRows() =>
        from layers in new[] { 1, 2 }
        from objective in new[] { "vae", "iwae" }
        from k in new[] { 1, 5, 50 }
        select new ExperimentSpec(
            $"iwae/table/{layers}layer/{objective}/k{k}",
            $"{(objective == "iwae" ? "IWAE" : "VAE")} with k = {k}, {layers} stochastic layer{(layers == 2 ? "s" : "")} (tanh nets), dynamic MNIST; IS-NLL and active units",
            [Mnist.Info],
            () => new Iwae.IwaeTable(layers == 2, objective == "iwae", k),
            Table: "iwae/table",
            Paper: [new("test_is_nll", Iwae.IwaeTable.Paper(layers == 2, objective == "iwae", k).Nll, $"seed 003 table (Burda et al. 2016): {objective.ToUpperInvariant()} k = {k}, {layers} layer(s)")]);

    /// <summary>Every spec whose id starts with <paramref name="prefix"/> (ordinal, so ids are case-sensitive).</summary>
    /// <remarks>An exact id selects that row alone, so "…/k5" does not also run "…/k50".</remarks>
    public static IReadOnlyList<ExperimentSpec> Match(string prefix) =>
        All.FirstOrDefault(s => s.Id == prefix) is { } exact
            ? [exact]
            : All.Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
}
