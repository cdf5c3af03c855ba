using Engine.Core;
using Engine.Models.Bounds;
using Engine.Models.Vae;

namespace Engine.Benchmarks.Workload;

/// <summary>Benchmark g (conv): IS-NLL with S = 1024 for 20 images under the conv VAE of d, no tape; one image's samples per pass.</summary>
public sealed class IsNllConvWorkload : Workload
{
    private const int Samples = 1024;
    private const int Count = 20;
    private readonly VariationalAutoencoder _model;
    private readonly Tensor _x;
    private readonly Rng _rng;

    public IsNllConvWorkload()
    {
        var rng = new Rng(42);
        _model = ConvVae.Create(rng.Fork(1));
        _x = VaeMlpStepWorkload.RandomBinary(rng.Fork(2), Count, 784);
        _rng = rng.Fork(3);
    }

    public override double NominalFlops => 52.24e9;

    public override int Images => Count;

    public override void Run()
    {
        for (var i = 0; i < Count; i++)
        {
            using var scope = new TensorScope();
            ImportanceSampling.LogLikelihood(_model, Ops.Slice(_x, 0, i, 1), _rng, Samples, chunk: Samples);
        }
    }
}
