namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// KL(N(μ, e^logvar) ‖ N(0, I)) summed over the last axis: −½ Σ_d [1 + logvar − μ² − e^logvar].
    /// A composition of primitives (VJP from theirs).
    /// </summary>
    public static Tensor KlStandardNormal(Tensor mu, Tensor logvar)
    {
        var inner = Sub(Sub(logvar, Square(mu)), Exp(logvar));
        return Affine(Sum(inner, -1), -0.5, -0.5 * mu.Shape[-1]);
    }

    /// <summary>
    /// KL(N(μ₁, e^lv₁) ‖ N(μ₂, e^lv₂)) summed over the last axis:
    /// ½ Σ_d [lv₂ − lv₁ + (e^lv₁ + (μ₁ − μ₂)²) e^−lv₂ − 1]. Arguments broadcast.
    /// </summary>
    public static Tensor KlDiagonalGaussians(Tensor mu1, Tensor logvar1, Tensor mu2, Tensor logvar2)
    {
        var ratio = Mul(Add(Exp(logvar1), Square(Sub(mu1, mu2))), Exp(Neg(logvar2)));
        var terms = Add(Sub(logvar2, logvar1), ratio);
        return Affine(Sum(terms, -1), 0.5, -0.5 * terms.Shape[-1]);
    }
}
