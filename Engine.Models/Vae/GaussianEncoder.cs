using Engine.Core;
using Engine.Core.Nn;

namespace Engine.Models.Vae;

/// <summary>
/// q(z|x) = N(μ(x), diag e^{logvar(x)}): a trunk, then a linear μ head and a linear logvar head,
/// optionally hardtanh-clamped (the VampPrior code clamps logvar to [−6, 2]).
/// </summary>
public sealed class GaussianEncoder(Layer trunk, Dense mu, Dense logvar, (double Low, double High)? logvarClamp = null) : EncoderModule
{
    public Layer Trunk { get; } = trunk;

    public int Latents => mu.Weight.Shape[0];

    /// <summary>x [B, …] → (μ, logvar) [B, M].</summary>
    public override (Tensor Mu, Tensor Logvar) Encode(Tensor x)
    {
        var (m, lv, _) = EncodeWithContext(x);
        return (m, lv);
    }

    public override (Tensor Mu, Tensor Logvar, Tensor? Context) EncodeWithContext(Tensor x)
    {
        var h = Trunk.Forward(x);
        var lv = logvar.Forward(h);
        return (mu.Forward(h), logvarClamp is { } c ? Ops.Hardtanh(lv, c.Low, c.High) : lv, h);
    }

    protected override IEnumerable<Module> Children() => [Trunk, mu, logvar];
}
