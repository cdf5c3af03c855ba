namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Fused z = μ + exp(½·logvar) ⊙ ε for S samples per datum: μ, logvar [B, D]; ε [S, B, D] (or
    /// [B, D] for one sample) → z of ε's shape. VJP: dμ = Σ_s dz, dlogvar = Σ_s dz ⊙ ε ⊙ ½e^{½·logvar};
    /// ε is noise and gets no gradient.
    /// </summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logvar, Tensor eps)
    {
        CheckCompatible("reparameterize", mu, logvar, eps);
        if (mu.Shape != logvar.Shape || eps.Numel % Math.Max(1, mu.Numel) != 0 || !TrailingMatch(eps.Shape, mu.Shape))
        {
            throw new ArgumentException($"reparameterize: μ {mu.Shape}, logvar {logvar.Shape} and ε {eps.Shape} do not fit (ε must be [S, …μ]).");
        }

        var samples = eps.Numel / Math.Max(1, mu.Numel);
        var z = eps.EmptyLike();
        mu.Backend.Reparameterize(mu.View, logvar.View, eps.View, z.View, samples, mu.Numel);
        Tape.Record("reparameterize", z, [mu, logvar], dz =>
        {
            var dmu = mu.RequiresGrad ? mu.EmptyLike() : null;
            var dlogvar = logvar.RequiresGrad ? logvar.EmptyLike() : null;
            mu.Backend.ReparameterizeBackward(logvar.View, eps.View, dz.View, dmu?.View, dlogvar?.View, samples, mu.Numel);
            if (dmu is not null)
            {
                mu.AccumulateGrad(dmu);
            }

            if (dlogvar is not null)
            {
                logvar.AccumulateGrad(dlogvar);
            }
        });
        return z;
    }

    /// <summary>Draws ε ~ N(0, I) of shape [samples, …μ] (or μ's shape when samples is 0) and reparameterises.</summary>
    public static Tensor Reparameterize(Tensor mu, Tensor logvar, Rng rng, int samples = 0)
    {
        var shape = samples > 0 ? new Shape([samples, .. mu.Shape.ToArray()]) : mu.Shape;
        return Reparameterize(mu, logvar, rng.Normal(shape, mu.DType, backend: mu.Backend));
    }
}
