using Engine.Kernels;
using Engine.Kernels.Cpu;

namespace Engine.Core;

/// <summary>
/// A seeded counter-based generator (Philox4x32-10). Its whole state is (seed, counter): every
/// draw consumes counter values, so a checkpoint that saves <see cref="Counter"/> resumes the exact
/// stream, and device kernels fill tensors from the same stream without sharing mutable state.
/// </summary>
public sealed class Rng(ulong seed, ulong counter = 0)
{
    public ulong Seed { get; } = seed;

    /// <summary>Next unused counter value (advanced by every draw).</summary>
    public ulong Counter { get; set; } = counter;

    /// <summary>An independent generator for a named purpose (data order, init, sampling…).</summary>
    public Rng Fork(ulong stream) => new(Mix(Seed, stream));

    public Tensor Normal(Shape shape, DType dtype = DType.Float32, double mean = 0, double std = 1, IBackend? backend = null)
    {
        var t = Tensor.Empty(shape, dtype, backend ?? Device.Default);
        FillNormal(t, mean, std);
        return t;
    }

    public Tensor Uniform(Shape shape, double low = 0, double high = 1, DType dtype = DType.Float32, IBackend? backend = null)
    {
        var t = Tensor.Empty(shape, dtype, backend ?? Device.Default);
        FillUniform(t, low, high);
        return t;
    }

    public void FillNormal(Tensor t, double mean = 0, double std = 1)
    {
        t.Backend.FillNormal(t.View, Seed, Counter, mean, std);
        Counter += (ulong)t.Numel;
    }

    public void FillUniform(Tensor t, double low = 0, double high = 1)
    {
        t.Backend.FillUniform(t.View, Seed, Counter, low, high);
        Counter += (ulong)t.Numel;
    }

    /// <summary>A double in (0, 1).</summary>
    public double NextDouble() => Philox.Uniform(Counter++, Seed);

    public double NextNormal() => Philox.Normal(Counter++, Seed);

    /// <summary>An integer in [0, n).</summary>
    public int NextInt(int n) => n <= 0 ? throw new ArgumentOutOfRangeException(nameof(n)) : Math.Min(n - 1, (int)(NextDouble() * n));

    /// <summary>A uniformly random permutation of 0…n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = Enumerable.Range(0, n).ToArray();
        for (var i = n - 1; i > 0; i--)
        {
            var j = NextInt(i + 1);
            (p[i], p[j]) = (p[j], p[i]);
        }

        return p;
    }

    private static ulong Mix(ulong a, ulong b)
    {
        // SplitMix64 finaliser over the pair: well-separated seeds for forked streams.
        var z = a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2));
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
