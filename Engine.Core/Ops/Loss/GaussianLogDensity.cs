namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// log N(x; μ, diag e^logvar) summed over the last axis:
    /// −½ Σ_d [log 2π + logvar + (x − μ)² e^−logvar]. Arguments broadcast (e.g. z [S, B, D] against
    /// μ [B, D], or z [B, 1, D] against VampPrior components [K, D]). A composition of primitives:
    /// its VJP comes from theirs.
    /// </summary>
    public static Tensor GaussianLogDensity(Tensor x, Tensor mu, Tensor logvar)
    {
        var diff = Sub(x, mu);
        var scaled = Mul(Square(diff), Exp(Neg(logvar)));
        var terms = Add(scaled, logvar);
        return Affine(Sum(terms, -1), -0.5, -0.5 * Math.Log(2 * Math.PI) * terms.Shape[-1]);
    }

    /// <summary>log N(x; 0, I) summed over the last axis: −½ Σ_d [log 2π + x²].</summary>
    public static Tensor StandardNormalLogDensity(Tensor x) =>
        Affine(Sum(Square(x), -1), -0.5, -0.5 * Math.Log(2 * Math.PI) * x.Shape[-1]);
}
