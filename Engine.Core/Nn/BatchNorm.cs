using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// Batch normalisation over [B, F] or [N, C, H, W] with affine γ, β and running statistics (saved
/// with the model as buffers). Uses batch statistics while <see cref="Module.Training"/>, the
/// running ones otherwise. Functional twin: <see cref="Ops.BatchNorm"/>.
/// </summary>
public sealed class BatchNorm : Layer
{
    public BatchNorm(string name, int features, double momentum = 0.1, double eps = 1e-5, DType dtype = DType.Float32)
    {
        Momentum = momentum;
        Eps = eps;
        Gamma = Parameter.Create(name + ".weight", new Shape(features), t => t.Fill(1), dtype);
        Beta = Parameter.Create(name + ".bias", new Shape(features), t => t.Fill(0), dtype);
        RunningMean = Tensor.PersistentZeros(new Shape(features), dtype);
        RunningMean.Name = name + ".running_mean";
        RunningVar = Tensor.PersistentZeros(new Shape(features), dtype);
        RunningVar.Fill(1);
        RunningVar.Name = name + ".running_var";
    }

    public Tensor Gamma { get; }

    public Tensor Beta { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public double Momentum { get; }

    public double Eps { get; }

    public override Tensor Forward(Tensor x) => Ops.BatchNorm(x, Gamma, Beta, RunningMean, RunningVar, Training, Momentum, Eps);

    protected override IEnumerable<Tensor> OwnParameters() => [Gamma, Beta];

    public override IEnumerable<Tensor> Buffers() => [RunningMean, RunningVar];
}
