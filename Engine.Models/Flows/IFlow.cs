using Engine.Core;

namespace Engine.Models.Flows;

/// <summary>
/// An invertible map of the posterior sample (spec vae-and-priors §10): z_K = f(z_0; context) with
/// log|det ∂f/∂z_0| per datum, so log q_K(z_K) = log q_0(z_0) − logdet.
/// </summary>
public interface IFlow
{
    string Name { get; }

    /// <summary>z [..., M] and an encoder context [..., C] (or null) → (z_K [..., M], logdet [...]).</summary>
    (Tensor Z, Tensor LogDet) Forward(Tensor z, Tensor? context);

    IEnumerable<Tensor> Parameters();
}
