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

    /// <summary>
    /// <see cref="Softplus(Vector512{float})"/> of two vectors with their steps interleaved, bit for bit the same values. Why: a
    /// softplus is a chain of about 45 dependent operations (180 cycles of latency), and the out-of-order scheduler holds
    /// only about four such chains at once, so a loop of single softplus calls ran at about half the FMA units' rate (the
    /// IS-NLL's Bernoulli likelihood); two independent chains side by side in program order give it twice the work to overlap.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Softplus(Vector512<float> x0, Vector512<float> x1, out Vector512<float> s0, out Vector512<float> s1)
    {
        ExpOfNonPositive(-Vector512.Abs(x0), -Vector512.Abs(x1), out var t0, out var t1);
        Log1pUnit(t0, t1, out var l0, out var l1);
        s0 = Vector512.Max(x0, Vector512<float>.Zero) + l0;
        s1 = Vector512.Max(x1, Vector512<float>.Zero) + l1;
    }

    /// <summary>Two <see cref="ExpOfNonPositive(Vector512{float})"/>, interleaved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ExpOfNonPositive(Vector512<float> x0, Vector512<float> x1, out Vector512<float> e0, out Vector512<float> e1)
    {
        x0 = Vector512.Max(x0, Vector512.Create(-104f));
        x1 = Vector512.Max(x1, Vector512.Create(-104f));
        var n0 = Avx512F.RoundScale(x0 * Vector512.Create(1.44269504088896341f), 0);
        var n1 = Avx512F.RoundScale(x1 * Vector512.Create(1.44269504088896341f), 0);
        var r0 = Vector512.FusedMultiplyAdd(n0, Vector512.Create(-0.693359375f), x0);
        var r1 = Vector512.FusedMultiplyAdd(n1, Vector512.Create(-0.693359375f), x1);
        r0 = Vector512.FusedMultiplyAdd(n0, Vector512.Create(2.12194440e-4f), r0);
        r1 = Vector512.FusedMultiplyAdd(n1, Vector512.Create(2.12194440e-4f), r1);
        var p0 = Vector512.Create(1.9875691500e-4f);
        var p1 = Vector512.Create(1.9875691500e-4f);
        p0 = Vector512.FusedMultiplyAdd(p0, r0, Vector512.Create(1.3981999507e-3f));
        p1 = Vector512.FusedMultiplyAdd(p1, r1, Vector512.Create(1.3981999507e-3f));
        p0 = Vector512.FusedMultiplyAdd(p0, r0, Vector512.Create(8.3334519073e-3f));
        p1 = Vector512.FusedMultiplyAdd(p1, r1, Vector512.Create(8.3334519073e-3f));
        p0 = Vector512.FusedMultiplyAdd(p0, r0, Vector512.Create(4.1665795894e-2f));
        p1 = Vector512.FusedMultiplyAdd(p1, r1, Vector512.Create(4.1665795894e-2f));
        p0 = Vector512.FusedMultiplyAdd(p0, r0, Vector512.Create(1.6666665459e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, r1, Vector512.Create(1.6666665459e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, r0, Vector512.Create(5.0000001201e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, r1, Vector512.Create(5.0000001201e-1f));
        var er0 = Vector512.FusedMultiplyAdd(p0, r0 * r0, r0) + Vector512<float>.One;
        var er1 = Vector512.FusedMultiplyAdd(p1, r1 * r1, r1) + Vector512<float>.One;
        e0 = Avx512F.Scale(er0, n0);
        e1 = Avx512F.Scale(er1, n1);
    }

    /// <summary>Two <see cref="Log1pUnit(Vector512{float})"/>, interleaved (the steps and their reasons are the single version's).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Log1pUnit(Vector512<float> t0, Vector512<float> t1, out Vector512<float> l0, out Vector512<float> l1)
    {
        var u0 = Vector512<float>.One + t0;
        var u1 = Vector512<float>.One + t1;
        var high0 = Vector512.GreaterThan(u0, Vector512.Create(1.41421356237f));
        var high1 = Vector512.GreaterThan(u1, Vector512.Create(1.41421356237f));
        var e0 = Vector512.ConditionalSelect(high0, Vector512<float>.One, Vector512<float>.Zero);
        var e1 = Vector512.ConditionalSelect(high1, Vector512<float>.One, Vector512<float>.Zero);
        var m0 = Vector512.ConditionalSelect(high0, Vector512.FusedMultiplyAdd(u0, Vector512.Create(0.5f), Vector512.Create(-1f)), u0 - Vector512<float>.One);
        var m1 = Vector512.ConditionalSelect(high1, Vector512.FusedMultiplyAdd(u1, Vector512.Create(0.5f), Vector512.Create(-1f)), u1 - Vector512<float>.One);
        var z0 = m0 * m0;
        var z1 = m1 * m1;
        var p0 = Vector512.Create(7.0376836292e-2f);
        var p1 = Vector512.Create(7.0376836292e-2f);
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(-1.1514610310e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(-1.1514610310e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(1.1676998740e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(1.1676998740e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(-1.2420140846e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(-1.2420140846e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(1.4249322787e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(1.4249322787e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(-1.6668057665e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(-1.6668057665e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(2.0000714765e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(2.0000714765e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(-2.4999993993e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(-2.4999993993e-1f));
        p0 = Vector512.FusedMultiplyAdd(p0, m0, Vector512.Create(3.3333331174e-1f));
        p1 = Vector512.FusedMultiplyAdd(p1, m1, Vector512.Create(3.3333331174e-1f));
        var y0 = p0 * m0 * z0;
        var y1 = p1 * m1 * z1;
        y0 = Vector512.FusedMultiplyAdd(e0, Vector512.Create(-2.12194440e-4f), y0);
        y1 = Vector512.FusedMultiplyAdd(e1, Vector512.Create(-2.12194440e-4f), y1);
        y0 = Vector512.FusedMultiplyAdd(z0, Vector512.Create(-0.5f), y0);
        y1 = Vector512.FusedMultiplyAdd(z1, Vector512.Create(-0.5f), y1);
        var log0 = Vector512.FusedMultiplyAdd(e0, Vector512.Create(0.693359375f), m0 + y0);
        var log1 = Vector512.FusedMultiplyAdd(e1, Vector512.Create(0.693359375f), m1 + y1);
        var rounding0 = (u0 - Vector512<float>.One) - t0;
        var rounding1 = (u1 - Vector512<float>.One) - t1;
        var inverse0 = Avx512F.Reciprocal14(u0);
        var inverse1 = Avx512F.Reciprocal14(u1);
        inverse0 = Vector512.FusedMultiplyAdd(inverse0, Vector512.FusedMultiplyAdd(-u0, inverse0, Vector512<float>.One), inverse0);
        inverse1 = Vector512.FusedMultiplyAdd(inverse1, Vector512.FusedMultiplyAdd(-u1, inverse1, Vector512<float>.One), inverse1);
        l0 = log0 - rounding0 * inverse0;
        l1 = log1 - rounding1 * inverse1;
    }
}
