using Engine.Core;

namespace Engine.Models.Likelihoods;

/// <summary>
/// The VampPrior code's 256-bin discretised logistic for grey data in [0, 1] (spec §3, Frey Faces):
/// m = clamp(σ(a), 1/512, 1 − 1/512), s = exp(hardtanh(c, −4.5, 0)), b = ⌊256·x⌋/256,
/// log p(x_d) = log(σ((b − m + 1/256)/s) − σ((b − m)/s) + 1e-7). The decoder emits [a ‖ c] per pixel.
/// </summary>
public sealed class DiscretizedLogisticLikelihood : ILikelihood
{
    public int OutputsPerDimension => 2;

    public string Name => "discretized-logistic-256";

    public Tensor LogLikelihood(Tensor decoderOutput, Tensor x)
    {
        var (mean, scale) = Parameters(decoderOutput);
        // Bin lower edges depend on data only: computed without a tape.
        Tensor bins;
        using (Tape.NoGrad())
        {
            var values = x.ToDoubleArray();
            var binned = Array.ConvertAll(values, v => Math.Floor(256 * v) / 256);
            bins = x.DType == Engine.Kernels.DType.Float64
                ? Tensor.FromSpan<double>(binned, x.Shape, x.Backend)
                : Tensor.FromSpan<float>(Array.ConvertAll(binned, v => (float)v), x.Shape, x.Backend);
        }

        var centred = Ops.Sub(bins, mean);
        var upper = Ops.Sigmoid(Ops.Div(Ops.Affine(centred, 1, 1.0 / 256), scale));
        var lower = Ops.Sigmoid(Ops.Div(centred, scale));
        var logp = Ops.Log(Ops.Affine(Ops.Sub(upper, lower), 1, 1e-7));
        return Ops.Sum(logp, -1);
    }

    public Tensor Mean(Tensor decoderOutput) => Parameters(decoderOutput).Mean;

    private static (Tensor Mean, Tensor Scale) Parameters(Tensor decoderOutput)
    {
        var d = decoderOutput.Shape[-1] / 2;
        var mean = Ops.Clamp(Ops.Sigmoid(Ops.Slice(decoderOutput, -1, 0, d)), 1.0 / 512, 1 - 1.0 / 512);
        var scale = Ops.Exp(Ops.Hardtanh(Ops.Slice(decoderOutput, -1, d, d), -4.5, 0));
        return (mean, scale);
    }
}
