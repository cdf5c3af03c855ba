using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Flows;

/// <summary>
/// K planar steps (Rezende &amp; Mohamed 2015): f(z) = z + û·tanh(wᵀz + b), log|det| = log|1 + ûᵀψ|,
/// ψ = (1 − tanh²(wᵀz + b))·w, with û = u + (m(wᵀu) − wᵀu)·w/‖w‖², m(x) = −1 + softplus(x), which
/// keeps wᵀû ≥ −1 so every step is invertible. Global (not amortised) parameters.
/// </summary>
public sealed class PlanarFlow : IFlow
{
    private readonly (Tensor U, Tensor W, Tensor B)[] _steps;

    public PlanarFlow(int latents, int steps, Rng rng, DType dtype = DType.Float32)
    {
        _steps = Enumerable.Range(0, steps).Select(k => (
            Parameter.Create($"flow.planar{k}.u", new Shape(latents), t => rng.FillNormal(t, 0, 0.1), dtype),
            Parameter.Create($"flow.planar{k}.w", new Shape(latents), t => rng.FillNormal(t, 0, 0.1), dtype),
            Parameter.Create($"flow.planar{k}.b", new Shape(1), t => t.Fill(0), dtype))).ToArray();
    }

    public string Name => $"planar×{_steps.Length}";

    public (Tensor Z, Tensor LogDet) Forward(Tensor z, Tensor? context)
    {
        Tensor? logdet = null;
        foreach (var (u, w, b) in _steps)
        {
            var wu = Ops.Sum(Ops.Mul(w, u));
            var correction = Ops.Sub(Ops.Affine(Ops.Softplus(wu), 1, -1), wu);        // m(wᵀu) − wᵀu
            var uHat = Ops.Add(u, Ops.Mul(Ops.Div(correction, Ops.Sum(Ops.Square(w))), w));
            var t = Ops.Tanh(Ops.Add(Ops.Sum(Ops.Mul(z, w), -1, keepDims: true), b));   // [..., 1]
            z = Ops.Add(z, Ops.Mul(t, uHat));
            var psiDotU = Ops.Mul(Ops.Affine(Ops.Square(t), -1, 1), Ops.Sum(Ops.Mul(w, uHat)));
            var step = Ops.Log(Ops.Abs(Ops.Affine(Ops.Sum(psiDotU, -1), 1, 1)));
            logdet = logdet is null ? step : Ops.Add(logdet, step);
        }

        return (z, logdet ?? Ops.Affine(Ops.Sum(z, -1), 0));
    }

    public IEnumerable<Tensor> Parameters() => _steps.SelectMany(s => new[] { s.U, s.W, s.B });
}
