using Engine.Core;
using Engine.Models.Bounds;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>
/// Benchmark g: importance-sampled NLL with S = 1024 for 100 images under the MLP VAE of b, no tape, as the spec
/// has it: the 100 images are encoded in one batch, then each image's 1024 samples are decoded as one
/// [1024, 1, 40] batch (<see cref="MlpVae.LogWeights"/>) and reduced to log p̂(x) in float64.
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
        using var scope = new TensorScope();
        var (mu, logvar) = _model.Encode(_x);
        for (var i = 0; i < Count; i++)
        {
            using var imageScope = new TensorScope();
            var logw = _model.LogWeights(Ops.Slice(_x, 0, i, 1), Ops.Slice(mu, 0, i, 1), Ops.Slice(logvar, 0, i, 1), _rng, Samples);
            ImportanceSampling.LogMeanExp(logw.ToDoubleArray());
        }
    }
}
