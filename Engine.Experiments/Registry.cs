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
    ];

    /// <summary>Every spec whose id starts with <paramref name="prefix"/> (ordinal, so ids are case-sensitive).</summary>
    public static IReadOnlyList<ExperimentSpec> Match(string prefix) =>
        All.Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
}
