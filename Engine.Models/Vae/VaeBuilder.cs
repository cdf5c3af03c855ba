using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Layers;
using Engine.Models.Likelihoods;
using Engine.Models.Priors;

namespace Engine.Models.Vae;

/// <summary>Builds the MLP VAEs of the VampPrior family from a <see cref="MlpVaeSpec"/>.</summary>
public static class VaeBuilder
{
    public static VariationalAutoencoder Mlp(MlpVaeSpec spec, Rng rng, DType dtype = DType.Float32)
    {
        var likelihood = spec.Likelihood ?? new BernoulliLikelihood();
        var trunk = Stack("encoder", spec.Inputs, spec, rng, dtype);
        Action<Tensor, Rng>? headInit = spec.Gated ? Init.HeNormal : null;
        var encoder = new GaussianEncoder(
            trunk,
            new Dense("encoder.mu", spec.Hidden, spec.Latents, rng, dtype: dtype, init: headInit),
            new Dense("encoder.logvar", spec.Hidden, spec.Latents, rng, dtype: dtype, init: headInit),
            spec.LogvarClamp);
        var decoder = new LayerDecoder(new Sequential([
            .. Stack("decoder", spec.Latents, spec, rng, dtype).Layers,
            new Dense("decoder.out", spec.Hidden, spec.Inputs * likelihood.OutputsPerDimension, rng, dtype: dtype, init: headInit)]));
        return new VariationalAutoencoder(encoder, decoder, likelihood, e => Prior(spec, e, rng, dtype));
    }

    private static IPrior Prior(MlpVaeSpec spec, EncoderModule encoder, Rng rng, DType dtype) => spec.Prior switch
    {
        PriorKind.Standard => new StandardNormalPrior(spec.Latents, dtype),
        PriorKind.MixtureOfGaussians => new MixtureOfGaussiansPrior(spec.Components, spec.Latents, rng, dtype),
        PriorKind.VampPrior => new VampPrior(encoder.Encode, spec.Components, spec.Inputs, PseudoInputKind.Learned, rng, spec.PseudoInputMean, spec.PseudoInputStd, dtype: dtype),
        _ => new VampPrior(encoder.Encode, spec.Components, spec.Inputs,
            spec.TrainPseudoInputData ? PseudoInputKind.DataInit : PseudoInputKind.FixedData, rng, data: spec.PseudoInputData, dtype: dtype),
    };

    private static Sequential Stack(string name, int inputs, MlpVaeSpec spec, Rng rng, DType dtype) =>
        new(Enumerable.Range(0, spec.HiddenLayers)
            .Select(i => spec.Gated
                ? (Layer)new GatedDense($"{name}.{i}", i == 0 ? inputs : spec.Hidden, spec.Hidden, rng, dtype)
                : new Dense($"{name}.{i}", i == 0 ? inputs : spec.Hidden, spec.Hidden, rng, Activation.Relu, dtype: dtype))
            .ToArray());
}
