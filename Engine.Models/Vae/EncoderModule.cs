using Engine.Core;
using Engine.Core.Nn;

namespace Engine.Models.Vae;

/// <summary>An amortised Gaussian posterior q(z|x) = N(μ(x), diag e^{logvar(x)}).</summary>
public abstract class EncoderModule : Module
{
    /// <summary>x [B, D] → (μ, logvar) [B, M].</summary>
    public abstract (Tensor Mu, Tensor Logvar) Encode(Tensor x);

    /// <summary>Also returns the features the heads read (the context an IAF flow conditions on), when there are any.</summary>
    public virtual (Tensor Mu, Tensor Logvar, Tensor? Context) EncodeWithContext(Tensor x)
    {
        var (mu, logvar) = Encode(x);
        return (mu, logvar, null);
    }
}

/// <summary>A decoder: z [..., M] → likelihood parameters [..., k·D].</summary>
public abstract class DecoderModule : Module
{
    public abstract Tensor Decode(Tensor z);
}

/// <summary>A decoder that is one <see cref="Layer"/> (an MLP stack).</summary>
public sealed class LayerDecoder(Layer layer) : DecoderModule
{
    public override Tensor Decode(Tensor z) => layer.Forward(z);

    protected override IEnumerable<Module> Children() => [layer];
}
