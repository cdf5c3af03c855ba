using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// exp, log and log1p on vectors of a generic element type. .NET has them only for float and double
/// vectors; the typeof test is a JIT-time constant, so each instantiation keeps one branch.
/// </summary>
internal static class VectorMath
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exp<T>(Vector256<T> x) => typeof(T) == typeof(float)
        ? Vector256.Exp(x.As<T, float>()).As<float, T>()
        : Vector256.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exp<T>(Vector512<T> x) => typeof(T) == typeof(float)
        ? Vector512.Exp(x.As<T, float>()).As<float, T>()
        : Vector512.Exp(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Log<T>(Vector256<T> x) => typeof(T) == typeof(float)
        ? Vector256.Log(x.As<T, float>()).As<float, T>()
        : Vector256.Log(x.As<T, double>()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Log<T>(Vector512<T> x) => typeof(T) == typeof(float)
        ? Vector512.Log(x.As<T, float>()).As<float, T>()
        : Vector512.Log(x.As<T, double>()).As<double, T>();

    /// <summary>
    /// log(1 + x) for x in [0, 1]: log(u) − ((u − 1) − x) / u with u = 1 + x cancels the rounding of
    /// 1 + x (Goldberg 1991), so a tiny x gives x rather than 0. NOTE: .NET's T.LogP1 is log(1 + x)
    /// as written, which loses all digits of a tiny x; do not "simplify" to it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LogP1<T>(T x) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var u = T.One + x;
        return T.Log(u) - ((u - T.One) - x) / u;
    }

    /// <inheritdoc cref="LogP1{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LogP1<T>(Vector256<T> x) where T : unmanaged
    {
        var u = Vector256<T>.One + x;
        return Log(u) - ((u - Vector256<T>.One) - x) / u;
    }

    /// <inheritdoc cref="LogP1{T}(Vector256{T})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LogP1<T>(Vector512<T> x) where T : unmanaged
    {
        var u = Vector512<T>.One + x;
        return Log(u) - ((u - Vector512<T>.One) - x) / u;
    }

    /// <summary>x, or 0 where x is subnormal (|x| below the smallest normal number).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FlushSubnormal<T>(T x) where T : System.Numerics.IFloatingPointIeee754<T> => T.IsSubnormal(x) ? T.Zero : x;

    /// <inheritdoc cref="FlushSubnormal{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FlushSubnormal<T>(Vector128<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Vector128.ConditionalSelect(Vector128.LessThan(Vector128.Abs(x), Vector128.Create(SmallestNormal<T>())), Vector128<T>.Zero, x);

    /// <inheritdoc cref="FlushSubnormal{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FlushSubnormal<T>(Vector256<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Vector256.ConditionalSelect(Vector256.LessThan(Vector256.Abs(x), Vector256.Create(SmallestNormal<T>())), Vector256<T>.Zero, x);

    /// <inheritdoc cref="FlushSubnormal{T}(T)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FlushSubnormal<T>(Vector512<T> x) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        Vector512.ConditionalSelect(Vector512.LessThan(Vector512.Abs(x), Vector512.Create(SmallestNormal<T>())), Vector512<T>.Zero, x);

    /// <summary>2⁻¹²⁶ for float, 2⁻¹⁰²² for double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T SmallestNormal<T>() where T : System.Numerics.IFloatingPointIeee754<T> =>
        typeof(T) == typeof(float) ? T.CreateTruncating(1.17549435e-38f) : T.CreateTruncating(2.2250738585072014e-308);
}
