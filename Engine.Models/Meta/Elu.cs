using Engine.Core;

namespace Engine.Models.Meta;

/// <summary>
/// ELU(x) = x for x &gt; 0, α(eˣ − 1) otherwise, composed as relu(x) + α(e^{min(x, 0)} − 1) so its
/// gradient comes from the primitives' (a fused kernel can replace it if a profile asks).
/// </summary>
public static class Elu
{
    public static Tensor Apply(Tensor x, double alpha = 1.0)
    {
        var negativePart = Ops.Neg(Ops.Relu(Ops.Neg(x)));                 // min(x, 0)
        return Ops.Add(Ops.Relu(x), Ops.Affine(Ops.Exp(negativePart), alpha, -alpha));
    }

    public static Engine.Core.Nn.Layer Layer(double alpha = 1.0) => new Engine.Core.Nn.Lambda(x => Apply(x, alpha));
}
