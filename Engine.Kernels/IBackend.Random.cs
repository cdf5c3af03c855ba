namespace Engine.Kernels;

public partial interface IBackend
{
    /// <summary>
    /// y[i] ~ N(mean, std²) from a counter-based generator: element i uses stream (seed, counter + i),
    /// so the values do not depend on threads, backend or chunking.
    /// </summary>
    void FillNormal(BufferView y, ulong seed, ulong counter, double mean, double std);

    /// <summary>y[i] ~ U[low, high) from stream (seed, counter + i).</summary>
    void FillUniform(BufferView y, ulong seed, ulong counter, double low, double high);
}
