namespace Engine.Kernels.Cpu;

public sealed partial class CpuBackend
{
    public void FillNormal(BufferView y, ulong seed, ulong counter, double mean, double std)
    {
        if (y.DType == DType.Float32)
        {
            var span = y.Array<float>();
            var offset = y.Offset;
            CpuParallel.For(_workers, y.Length, 16384, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    span[offset + i] = (float)(mean + std * Philox.Normal(counter + (ulong)i, seed));
                }
            });
        }
        else
        {
            var span = y.Array<double>();
            var offset = y.Offset;
            CpuParallel.For(_workers, y.Length, 16384, (start, end) =>
            {
                for (var i = start; i < end; i++)
                {
                    span[offset + i] = mean + std * Philox.Normal(counter + (ulong)i, seed);
                }
            });
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
