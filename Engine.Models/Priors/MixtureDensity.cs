using Engine.Core;

namespace Engine.Models.Priors;

/// <summary>
/// log N(z_n; μ_k, diag e^{lv_k}) for every pair (n, k) without materialising [N, K, M]:
/// −½ [M log 2π + Σ_m lv_k + (z²)·(e^{−lv})ᵀ − 2 z·(μ e^{−lv})ᵀ + Σ_m μ_k² e^{−lv_k}], two GEMMs.
/// NOTE: the expanded square loses digits when |z − μ| ≪ |z|·σ (float32); the logvars of our
/// priors are bounded (encoder heads clamp to [−6, 2]) which keeps that error far below a nat.
/// </summary>
public static class MixtureDensity
{
    /// <summary>z [N, M], μ and logvar [K, M] → [N, K].</summary>
    public static Tensor ComponentLogDensities(Tensor z, Tensor mu, Tensor logvar)
    {
        var m = z.Shape[-1];
        var precision = Ops.Exp(Ops.Neg(logvar));                        // [K, M]
        var quadratic = Ops.MatMul(Ops.Square(z), precision, transB: true); // [N, K]
        var cross = Ops.MatMul(z, Ops.Mul(mu, precision), transB: true);    // [N, K]
        var constant = Ops.Sum(Ops.Add(Ops.Mul(Ops.Square(mu), precision), logvar), 1); // [K]
        var inner = Ops.Add(Ops.Sub(quadratic, Ops.Affine(cross, 2)), constant);
        return Ops.Affine(inner, -0.5, -0.5 * m * Math.Log(2 * Math.PI));
    }

    /// <summary>log (1/K) Σ_k N(z; μ_k, e^{lv_k}) for z [..., M] → [...].</summary>
    public static Tensor UniformMixtureLogDensity(Tensor z, Tensor mu, Tensor logvar)
    {
        var flat = Ops.Reshape(z, -1, z.Shape[-1]);
        var perComponent = ComponentLogDensities(flat, mu, logvar);
        var mixture = Ops.LogMeanExp(perComponent, 1);
        return Ops.Reshape(mixture, z.Shape.Without(-1).ToArray());
    }
}
