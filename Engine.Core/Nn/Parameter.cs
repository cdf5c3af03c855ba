using Engine.Kernels;

namespace Engine.Core.Nn;

/// <summary>
/// Parameters are ordinary tensors that require a gradient, carry a name and outlive every scope;
/// this factory makes them so.
/// </summary>
public static class Parameter
{
    public static Tensor Create(string name, Shape shape, Action<Tensor> init, DType dtype = DType.Float32)
    {
        var t = Tensor.PersistentZeros(shape, dtype);
        init(t);
        t.Name = name;
        t.RequiresGrad = true;
        return t;
    }
}
