using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Flows;

/// <summary>
/// K IAF steps (Kingma et al. 2016), each a MADE (masked 2-layer MLP, hidden H, encoder context
/// added to the first hidden layer) giving m, s autoregressive in z: σ = sigmoid(s + 1.5),
/// z ← σ⊙z + (1 − σ)⊙m, log|det| = Σ log σ. Output i depends only on inputs before i in the step's
/// order; the order is reversed between steps.
/// </summary>
public sealed class InverseAutoregressiveFlow : IFlow
{
    private readonly Step[] _steps;

    public InverseAutoregressiveFlow(int latents, int contextSize, int steps, int hidden, Rng rng, DType dtype = DType.Float32)
    {
        _steps = Enumerable.Range(0, steps).Select(k => new Step(k, latents, contextSize, hidden, reverse: k % 2 == 1, rng, dtype)).ToArray();
    }

    public string Name => $"iaf×{_steps.Length}";

    public (Tensor Z, Tensor LogDet) Forward(Tensor z, Tensor? context)
    {
        Tensor? logdet = null;
        foreach (var step in _steps)
        {
            var (m, s) = step.Made(z, context);
            var sigma = Ops.Sigmoid(Ops.Affine(s, 1, 1.5));
            z = Ops.Add(Ops.Mul(sigma, z), Ops.Mul(Ops.Affine(sigma, -1, 1), m));
            var stepLogdet = Ops.Sum(Ops.LogSigmoid(Ops.Affine(s, 1, 1.5)), -1);
            logdet = logdet is null ? stepLogdet : Ops.Add(logdet, stepLogdet);
        }

        return (z, logdet!);
    }

    public IEnumerable<Tensor> Parameters() => _steps.SelectMany(s => s.Parameters());

    /// <summary>Output degree mask of a MADE: hidden unit k may see inputs with degree ≤ deg(k); output i sees hidden units with degree &lt; deg(i).</summary>
    public static (double[] InputToHidden, double[] HiddenToOutput) Masks(int latents, int hidden, bool reverse)
    {
        int Degree(int i) => reverse ? latents - i : i + 1;                      // input/output degrees 1…M in the step's order
        var hiddenDegree = Enumerable.Range(0, hidden).Select(k => k % Math.Max(1, latents - 1) + 1).ToArray();
        var inputMask = new double[hidden * latents];
        for (var k = 0; k < hidden; k++)
        {
            for (var i = 0; i < latents; i++)
            {
                inputMask[k * latents + i] = Degree(i) <= hiddenDegree[k] ? 1 : 0;
            }
        }

        var outputMask = new double[latents * hidden];
        for (var i = 0; i < latents; i++)
        {
            for (var k = 0; k < hidden; k++)
            {
                outputMask[i * hidden + k] = hiddenDegree[k] < Degree(i) ? 1 : 0;
            }
        }

        return (inputMask, outputMask);
    }

    private sealed class Step
    {
        private readonly Tensor _w1;
        private readonly Tensor _b1;
        private readonly Tensor? _context;
        private readonly Tensor _wm;
        private readonly Tensor _ws;
        private readonly Tensor _bm;
        private readonly Tensor _bs;
        private readonly Tensor _mask1;
        private readonly Tensor _mask2;

        public Step(int index, int latents, int contextSize, int hidden, bool reverse, Rng rng, DType dtype)
        {
            var name = $"flow.iaf{index}";
            _w1 = Parameter.Create(name + ".w1", new Shape(hidden, latents), t => Init.PyTorchDefault(t, rng, latents), dtype);
            _b1 = Parameter.Create(name + ".b1", new Shape(hidden), t => t.Fill(0), dtype);
            _context = contextSize > 0 ? Parameter.Create(name + ".context", new Shape(hidden, contextSize), t => Init.PyTorchDefault(t, rng, contextSize), dtype) : null;
            _wm = Parameter.Create(name + ".wm", new Shape(latents, hidden), t => Init.PyTorchDefault(t, rng, hidden), dtype);
            _ws = Parameter.Create(name + ".ws", new Shape(latents, hidden), t => Init.PyTorchDefault(t, rng, hidden), dtype);
            _bm = Parameter.Create(name + ".bm", new Shape(latents), t => t.Fill(0), dtype);
            _bs = Parameter.Create(name + ".bs", new Shape(latents), t => t.Fill(0), dtype);
            var (m1, m2) = Masks(latents, hidden, reverse);
            _mask1 = Constant(m1, [hidden, latents], dtype);
            _mask2 = Constant(m2, [latents, hidden], dtype);
        }

        public (Tensor M, Tensor S) Made(Tensor z, Tensor? context)
        {
            var h = Ops.Linear(z, Ops.Mul(_w1, _mask1), _b1);
            if (_context is not null && context is not null)
            {
                h = Ops.Add(h, Ops.Linear(context, _context));
            }

            h = Ops.Relu(h);
            return (Ops.Linear(h, Ops.Mul(_wm, _mask2), _bm), Ops.Linear(h, Ops.Mul(_ws, _mask2), _bs));
        }

        public IEnumerable<Tensor> Parameters() => _context is null ? [_w1, _b1, _wm, _ws, _bm, _bs] : [_w1, _b1, _context, _wm, _ws, _bm, _bs];

        private static Tensor Constant(double[] values, int[] shape, DType dtype)
        {
            var t = Tensor.PersistentZeros(new Shape(shape), dtype);
            if (dtype == DType.Float64)
            {
                t.CopyFrom<double>(values);
            }
            else
            {
                t.CopyFrom<float>(Array.ConvertAll(values, v => (float)v));
            }

            return t;
        }
    }
}
