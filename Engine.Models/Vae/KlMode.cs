namespace Engine.Models.Vae;

/// <summary>How the KL term of the ELBO is computed (spec vae-and-priors §2).</summary>
public enum KlMode
{
    /// <summary>Analytic when the prior has a closed form, else sampled.</summary>
    Auto,
    /// <summary>KL(q ‖ p) in closed form (standard prior only).</summary>
    Analytic,
    /// <summary>log q(z|x) − log p(z) at the reparameterised sample (the VampPrior code's choice for every prior).</summary>
    Sampled,
}
