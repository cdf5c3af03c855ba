using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// float32 exp of non-positive values and softplus(x) = max(x, 0) + log1p(e^−|x|) on 16 floats with AVX-512, in float32 throughout. Why: .NET's vector
/// exp of float widens to double and its log is a general one; here e^−|x| is a Cephes-style polynomial scaled by
/// vscalefps, and log(1 + t) only ever sees 1 + t in (1, 2], so it needs no frexp: one branch-free range split at √2
/// and Cephes' logf polynomial. The rounding of 1 + t is cancelled as in <see cref="VectorMath.LogP1{T}(Vector512{T})"/>
/// (Goldberg 1991), so a tiny e^−|x| is returned rather than lost. Accuracy: a few ulp (checked against the float64
/// reference in the kernel tests). The Bernoulli likelihood (softplus forward, σ backward) spends most of its time here (IS-NLL, IWAE).
/// </summary>
internal static class ExpLog512
{
    public static bool IsSupported => Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Softplus(Vector512<float> x)
    {
        var t = ExpOfNonPositive(-Vector512.Abs(x));
        return Vector512.Max(x, Vector512<float>.Zero) + Log1pUnit(t);
    }

    /// <summary>e^x for x ≤ 0: x = n·ln 2 + r with |r| ≤ ½ ln 2, e^r by a degree-7 polynomial, times 2^n (vscalefps underflows to 0 cleanly). Also σ's exponential.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ExpOfNonPositive(Vector512<float> x)
    {
        x = Vector512.Max(x, Vector512.Create(-104f)); // beyond this e^x is 0 in float32; keeps n finite
        var n = Avx512F.RoundScale(x * Vector512.Create(1.44269504088896341f), 0); // round to nearest
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693359375f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(2.12194440e-4f), r);
        var p = Vector512.Create(1.9875691500e-4f);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.3981999507e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(8.3334519073e-3f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(4.1665795894e-2f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1.6666665459e-1f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(5.0000001201e-1f));
        var er = Vector512.FusedMultiplyAdd(p, r * r, r) + Vector512<float>.One;
        return Avx512F.Scale(er, n);
    }

    /// <summary>log(1 + t) for t in [0, 1].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log1pUnit(Vector512<float> t)
    {
        var u = Vector512<float>.One + t;                              // (1, 2], rounded
        var high = Vector512.GreaterThan(u, Vector512.Create(1.41421356237f));
        var e = Vector512.ConditionalSelect(high, Vector512<float>.One, Vector512<float>.Zero);
        // log u = e·ln 2 + log1p(m) with m = u/2^e − 1 in (−0.293, 0.415]; both subtractions are exact.
        var m = Vector512.ConditionalSelect(high, Vector512.FusedMultiplyAdd(u, Vector512.Create(0.5f), Vector512.Create(-1f)), u - Vector512<float>.One);
        var z = m * m;
        var p = Vector512.Create(7.0376836292e-2f);
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(-1.1514610310e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(1.1676998740e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(-1.2420140846e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(1.4249322787e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(-1.6668057665e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(2.0000714765e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(-2.4999993993e-1f));
        p = Vector512.FusedMultiplyAdd(p, m, Vector512.Create(3.3333331174e-1f));
        var y = p * m * z;
        y = Vector512.FusedMultiplyAdd(e, Vector512.Create(-2.12194440e-4f), y);
        y = Vector512.FusedMultiplyAdd(z, Vector512.Create(-0.5f), y);
        var log = Vector512.FusedMultiplyAdd(e, Vector512.Create(0.693359375f), m + y);
        // Goldberg: subtract the rounding of 1 + t, divided by u. The result can be as small as t itself (x ≈ −17: t just
        // above 2⁻²⁴, rounding ≈ t), so the quotient needs full precision: a 14-bit reciprocal and one Newton step (28 bits)
        // instead of a division.
        var rounding = (u - Vector512<float>.One) - t;
        var inverse = Avx512F.Reciprocal14(u);
        inverse = Vector512.FusedMultiplyAdd(inverse, Vector512.FusedMultiplyAdd(-u, inverse, Vector512<float>.One), inverse);
        return log - rounding * inverse;
    }
}
