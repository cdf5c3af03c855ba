namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void FillNormal(BufferView y, ulong seed, ulong counter, double mean, double std)
    {
        if (y.DType == DType.Float32)
        {
            CpuParallel.For(_workers, y.Length, 16384, new NormalFill<float>(y.Array<float>(), y.Offset, seed, counter, mean, std));
        }
        else
        {
            CpuParallel.For(_workers, y.Length, 16384, new NormalFill<double>(y.Array<double>(), y.Offset, seed, counter, mean, std));
        }
    }

    public void FillUniform(BufferView y, ulong seed, ulong counter, double low, double high)
    {
        var width = high - low;
        if (y.DType == DType.Float32)
        {
            var span = y.Span<float>();
            for (var i = 0; i < span.Length; i++)
            {
                // NOTE: rounding to float can reach `high` exactly; clamp to keep the interval half-open.
                var v = (float)(low + width * Philox.Uniform(counter + (ulong)i, seed));
                span[i] = v >= high ? MathF.BitDecrement((float)high) : v;
            }
        }
        else
        {
            var span = y.Span<double>();
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = low + width * Philox.Uniform(counter + (ulong)i, seed);
            }
        }
    }
}
