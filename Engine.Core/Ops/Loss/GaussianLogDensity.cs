namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// log N(x; μ, diag e^logvar) summed over the last axis:
    /// −½ Σ_d [log 2π + logvar + (x − μ)² e^−logvar]. Arguments broadcast (e.g. z [S, B, D] against
    /// μ [B, D], or z [B, 1, D] against VampPrior components [K, D]). When μ and logvar share a shape that
    /// is x's trailing axes (the parameters repeat over leading sample axes, as in importance sampling),
    /// one fused kernel computes it and its VJP; any other broadcast is a composition of primitives.
    /// </summary>
    public static Tensor GaussianLogDensity(Tensor x, Tensor mu, Tensor logvar)
    {
        if (mu.Shape == logvar.Shape && IsTrailingBlock(x.Shape, mu.Shape))
        {
            CheckCompatible("gaussian_log_density", x, mu, logvar);
            return FusedGaussianLogDensity(x, mu, logvar);
        }

        var diff = Sub(x, mu);
        var scaled = Mul(Square(diff), Exp(Neg(logvar)));
        var terms = Add(scaled, logvar);
        return Affine(Sum(terms, -1), -0.5, -0.5 * Math.Log(2 * Math.PI) * terms.Shape[-1]);
    }

    /// <summary>log N(x; 0, I) summed over the last axis: −½ Σ_d [log 2π + x²], one fused kernel (VJP: −x).</summary>
    public static Tensor StandardNormalLogDensity(Tensor x)
    {
        if (x.Rank == 0)
        {
            throw new ArgumentException("standard_normal_log_density: x is a scalar; it needs an axis to sum over.");
        }

        return x.Numel == 0 ? Affine(Sum(Square(x), -1), -0.5, 0) : FusedGaussianLogDensity(x, null, null);
    }

    /// <summary>
    /// True when <paramref name="block"/> is exactly the trailing axes of <paramref name="shape"/> (so broadcasting the
    /// block over <paramref name="shape"/> gives <paramref name="shape"/> back), non-empty and with a last axis.
    /// </summary>
    private static bool IsTrailingBlock(Shape shape, Shape block) =>
        block.Rank >= 1 && block.Rank <= shape.Rank && block.Numel > 0 && shape.Dims[(shape.Rank - block.Rank)..].SequenceEqual(block.Dims);

    private static Tensor FusedGaussianLogDensity(Tensor x, Tensor? mu, Tensor? logvar)
    {
        var cols = x.Shape[-1];
        var rows = x.Numel / cols;
        var paramRows = mu is null ? 1 : mu.Numel / cols;
        var ll = Tensor.Empty(x.Shape.Without(-1), x.DType, x.Backend);
        x.Backend.GaussianLogDensity(x.View, mu?.View, logvar?.View, ll.View, rows, cols, paramRows);
        Tape.Record(mu is null ? "standard_normal_log_density" : "gaussian_log_density", ll, mu is null || logvar is null ? [x] : [x, mu, logvar], dll =>
        {
            var dx = x.RequiresGrad ? x.EmptyLike() : null;
            var dmu = mu is { RequiresGrad: true } ? mu.EmptyLike() : null;
            var dlogvar = logvar is { RequiresGrad: true } ? logvar.EmptyLike() : null;
            x.Backend.GaussianLogDensityBackward(x.View, mu?.View, logvar?.View, dll.View, dx?.View, dmu?.View, dlogvar?.View, rows, cols, paramRows);
            if (dx is not null)
            {
                x.AccumulateGrad(dx);
            }

            if (dmu is not null)
            {
                mu!.AccumulateGrad(dmu);
            }

            if (dlogvar is not null)
            {
                logvar!.AccumulateGrad(dlogvar);
            }
        });
        return ll;
    }
}
