namespace Engine.Kernels;

/// <summary>The argument checks of <see cref="IBackend.DenseGradients"/>, shared by the backends so both refuse the same calls.</summary>
internal static class DenseGradientsCheck
{
    public static void Views(int rows, int outputs, int inputs, BufferView dy, BufferView x, BufferView dw, BufferView db)
    {
        if (rows < 0 || outputs < 0 || inputs < 0)
        {
            throw new ArgumentException($"DenseGradients: negative size (rows {rows}, outputs {outputs}, inputs {inputs}).");
        }

        Need("dy", dy, (long)rows * outputs, dy);
        Need("x", x, (long)rows * inputs, dy);
        Need("dw", dw, (long)outputs * inputs, dy);
        Need("db", db, outputs, dy);
    }

    private static void Need(string name, BufferView view, long length, BufferView first)
    {
        if (view.Length < length)
        {
            throw new ArgumentException($"DenseGradients: {name} has {view.Length} elements, needs {length}.");
        }

        if (view.DType != first.DType)
        {
            throw new ArgumentException($"DenseGradients: {name} is {view.DType.Name()}, dy {first.DType.Name()}.");
        }
    }
}
