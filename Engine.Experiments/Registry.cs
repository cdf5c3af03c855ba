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
            () => new MnistMlpVae()),
        new("metavae/mog",
            "MetaVAE vs VAE clustering unseen two-Gaussian mixtures (N = 10, 20, 50 training mixtures); cluster error",
            [],
            () => new Meta.MixtureClustering()),
    ];

    /// <summary>Every spec whose id starts with <paramref name="prefix"/> (ordinal, so ids are case-sensitive).</summary>
    public static IReadOnlyList<ExperimentSpec> Match(string prefix) =>
        All.Where(s => s.Id.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
}
