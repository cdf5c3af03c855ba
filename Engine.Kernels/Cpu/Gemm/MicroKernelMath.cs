using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>Helpers shared by the micro-kernels: a generic FMA and how a tile is stored into C.</summary>
internal static class MicroKernelMath
{
    /// <summary>β = 0: C is overwritten without being read (so NaN in C is ignored, as in BLAS).</summary>
    public const int Overwrite = 0;

    /// <summary>β = 1: C += α·acc.</summary>
    public const int Accumulate = 1;

    /// <summary>Any other β: C = α·acc + β·C.</summary>
    public const int Scale = 2;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int StoreMode<T>(T beta) where T : IFloatingPointIeee754<T> =>
        beta == T.Zero ? Overwrite : beta == T.One ? Accumulate : Scale;

    /// <summary>a·b + c with one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Fma<T>(Vector512<T> a, Vector512<T> b, Vector512<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector512.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector512.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }

    /// <summary>a·b + c with one rounding.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Fma<T>(Vector256<T> a, Vector256<T> b, Vector256<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            return Vector256.FusedMultiplyAdd(a.AsSingle(), b.AsSingle(), c.AsSingle()).As<float, T>();
        }

        return Vector256.FusedMultiplyAdd(a.AsDouble(), b.AsDouble(), c.AsDouble()).As<double, T>();
    }
}
