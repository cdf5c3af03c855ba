using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;
using Engine.Models.Vae;

namespace Engine.Models.Hyper;

/// <summary>
/// The matrix hyper-decoder g_γ(u) (spec hypervae §3): a trunk turns u into H (20×20), then for each
/// of the 18 tensors of the conv VAE one matrix hyper-layer W_t = σ(U_t·H·V_t + B_t). B_t starts as
/// an ordinary layer's initial weights and U_t, V_t ~ N(0, std²) small, so at step 0 the generated
/// network is a standard-initialised VAE plus a small u-dependent perturbation.
/// </summary>
public sealed class HyperDecoder : Module
{
    private readonly Sequential _trunk;
    private readonly (Tensor U, Tensor V, Tensor B, Shape Shape)[] _targets;
    private readonly HyperVaeOptions _options;

    public HyperDecoder(HyperVaeOptions options, Rng rng, DType dtype = DType.Float32)
    {
        _options = options;
        var h = options.MatrixSize;
        _trunk = options.Trunk == HyperTrunk.Dense100Then400
            ? new Sequential(
                new Dense("hyper_decoder.trunk.0", options.TaskLatents, 100, rng, Activation.Relu, dtype: dtype),
                new Dense("hyper_decoder.trunk.1", 100, h * h, rng, Activation.Relu, dtype: dtype))
            : new Sequential(new Dense("hyper_decoder.trunk.0", options.TaskLatents, h * h, rng, Activation.Relu, dtype: dtype));
        _targets = ConvVaeWeights.Layout(options.DataLatents)
            .Select(l =>
            {
                var (m, n) = MatrixShape(l.Shape, options.Factorization);
                var u = Parameter.Create($"hyper_decoder.{l.Name}.U", new Shape(m, h), t => rng.FillNormal(t, 0, options.FactorInitStd), dtype);
                var v = Parameter.Create($"hyper_decoder.{l.Name}.V", new Shape(h, n), t => rng.FillNormal(t, 0, options.FactorInitStd), dtype);
                var b = Parameter.Create($"hyper_decoder.{l.Name}.B", new Shape(m, n), t => Init.PyTorchDefault(t, rng, l.FanIn), dtype);
                return (u, v, b, l.Shape);
            })
            .ToArray();
    }

    /// <summary>The bias matrices B_t: the weights generated when U·H·V vanishes.</summary>
    public IReadOnlyList<Tensor> BaseWeights => _targets.Select(t => t.B).ToArray();

    /// <summary>The U_t and V_t factors (for tests that zero them).</summary>
    public IEnumerable<Tensor> Factors => _targets.SelectMany(t => new[] { t.U, t.V });

    /// <summary>θ = g_γ(u) for one task latent u [1, U] or [U].</summary>
    public ConvVaeWeights Generate(Tensor u)
    {
        var h = Ops.Reshape(_trunk.Forward(Ops.Reshape(u, 1, -1)), _options.MatrixSize, _options.MatrixSize);
        var generated = Ops.HyperLayer(h, _targets.Select(t => new HyperTarget(t.U, t.V, t.B, t.Shape, _options.GeneratedActivation)).ToList());
        return ConvVaeWeights.FromList(generated);
    }

    /// <summary>(m, n) with m·n = numel for a target tensor.</summary>
    public static (int Rows, int Cols) MatrixShape(Shape shape, MatrixFactorization factorization)
    {
        var numel = shape.Numel;
        if (factorization == MatrixFactorization.Layout)
        {
            return shape.Rank == 1 ? (1, numel) : (shape[0], numel / shape[0]);
        }

        var rows = (int)Math.Sqrt(numel);
        while (numel % rows != 0)
        {
            rows--;
        }

        return (rows, numel / rows);
    }

    protected override IEnumerable<Tensor> OwnParameters() => _targets.SelectMany(t => new[] { t.U, t.V, t.B });

    protected override IEnumerable<Module> Children() => [_trunk];
}
