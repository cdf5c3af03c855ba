using Engine.Core;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark g: importance-sampled NLL with S = 1024 for 100 images under the MLP VAE of b, no tape.
/// Each image's 1024 samples are decoded as one [1024, 1, 40] batch through
/// <see cref="MlpVae.ImportanceSampledLogLikelihood"/>; that call encodes its own image, so the 100
/// images are encoded one at a time instead of in one batch (0.05 % of the FLOPs).
/// </summary>
public sealed class IsNllMlpWorkload : Workload
{
    private const int Samples = 1024;
    private const int Count = 100;
    private readonly MlpVae _model;
    private readonly Tensor _x;
    private readonly Rng _rng;

    public IsNllMlpWorkload()
    {
        var rng = new Rng(42);
        _model = new MlpVae(new MlpVaeConfig(), rng.Fork(1));
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), Count, 784);
        _rng = rng.Fork(3);
    }

    public override double NominalFlops => 69.13e9;

    public override int Images => Count;

    public override void Run()
    {
        using var noGrad = Tape.NoGrad();
        for (var i = 0; i < Count; i++)
        {
            using var scope = new TensorScope();
            _model.ImportanceSampledLogLikelihood(Ops.Slice(_x, 0, i, 1), _rng, Samples, chunk: Samples);
        }
    }
}
