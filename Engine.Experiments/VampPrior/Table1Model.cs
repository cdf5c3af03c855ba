using Engine.Core;
using Engine.Core.Nn;
using Engine.Models.Hvae;
using Engine.Models.Priors;
using Engine.Models.Vae;

namespace Engine.Experiments.VampPrior;

/// <summary>
/// The model of one vampprior row as the trainer, the evaluation and the figures see it: the
/// one-level MLP VAE with the row's prior, or the two-level HVAE with a VampPrior on z2.
/// </summary>
/// <param name="Loss">(x, noise, β) → −ELBO terms with KL weight β.</param>
/// <param name="LogWeights">(x, noise, S) → log w [B, S] for the IS log-likelihood.</param>
/// <param name="Reconstruct">x [B, D] → the likelihood's mean at the posterior means [B, D].</param>
/// <param name="Sample">(n, noise) → the likelihood's mean at n draws from the prior [n, D].</param>
/// <param name="Prior">The prior (on z2 for the HVAE), for its pseudo-inputs.</param>
public sealed record Table1Model(
    Module Module,
    Func<Tensor, Rng, double, ElboTerms> Loss,
    Func<Tensor, Rng, int, Tensor> LogWeights,
    Func<Tensor, Tensor> Reconstruct,
    Func<int, Rng, Tensor> Sample,
    IPrior Prior)
{
    /// <summary>The pseudo-inputs u [K, D] of a VampPrior row, or null for the other priors.</summary>
    public Tensor? PseudoInputs() => (Prior as Engine.Models.Priors.VampPrior)?.PseudoInputs();

    /// <summary>
    /// Builds the row's model. VampPrior-data takes K images of <paramref name="train"/> in a fixed
    /// random order (seed 15); every other random draw comes from <paramref name="rng"/>.
    /// </summary>
    public static Table1Model Build(string prior, Table1Data data, VampPriorTable1Settings s, float[] train, Rng rng)
    {
        var pseudoData = prior == "vampprior-data"
            ? new Rng(15).Permutation(train.Length / data.Dim).Take(s.Components).SelectMany(i => train.AsSpan(i * data.Dim, data.Dim).ToArray()).ToArray()
            : null;
        if (prior == "hvae-vampprior")
        {
            var hvae = new TwoLevelVae(data.Dim, rng, PriorKind.VampPrior, s.Hidden, s.Latents, s.Latents, s.Components, data.PseudoMean, data.PseudoStd, data.Likelihood);
            return new(hvae, (x, r, beta) => hvae.Elbo(x, r, beta), hvae.LogWeights, hvae.Reconstruct, hvae.Sample, hvae.Prior);
        }

        var kind = prior switch
        {
            "standard" => PriorKind.Standard,
            "vampprior" => PriorKind.VampPrior,
            "vampprior-data" => PriorKind.VampPriorData,
            "mog" => PriorKind.MixtureOfGaussians,
            _ => throw new ArgumentException($"vampprior: unknown prior '{prior}'; known: {string.Join(", ", VampPriorTable1.Priors)}."),
        };
        var vae = VaeBuilder.Mlp(new MlpVaeSpec(data.Dim, s.Hidden, 2, s.Latents, s.Gated, kind, s.Components, data.PseudoMean, data.PseudoStd,
            LogvarClamp: (-6, 2), Likelihood: data.Likelihood, PseudoInputData: pseudoData), rng);
        return new(
            vae,
            (x, r, beta) => vae.Elbo(x, r, beta),
            vae.LogWeights,
            x => vae.Likelihood.Mean(vae.Decoder.Decode(vae.Encoder.Encode(x).Mu)),
            (n, r) => vae.Likelihood.Mean(vae.Decoder.Decode(vae.Prior.Sample(n, r))),
            vae.Prior);
    }
}
