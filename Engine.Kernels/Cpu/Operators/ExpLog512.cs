using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// float32 exp of non-positive values and softplus(x) = max(x, 0) + log1p(e^−|x|) on 16 floats with AVX-512, in float32 throughout. Why: .NET's vector
/// exp of float widens to double and its log is a general one; here e^−|x| is a Cephes-style polynomial scaled by
/// vscalefps, and log(1 + t) only ever sees t in [0, 1], so it is 2·atanh(t / (2 + t)) by its series: no frexp, no
/// range split, and t is never rounded into 1 + t, so a tiny e^−|x| keeps its precision. Accuracy: a few ulp (2.2 at worst
/// against the float64 reference in the kernel tests). The Bernoulli likelihood (softplus forward, σ backward) spends most of its time here (IS-NLL, IWAE).
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

    /// <summary>
    /// log(1 + t) for t in [0, 1] as 2·atanh(s) with s = t / (2 + t) in [0, ⅓]: 2s·(1 + s²/3 + s⁴/5 + … + s¹²/13) (evaluated in w = 4s²), the
    /// series' remainder under 2·10⁻⁸ relative. t itself is exact, so no rounding of 1 + t has to be cancelled, and a tiny t
    /// keeps its relative precision (s ≈ t/2). The quotient takes a 14-bit reciprocal and one Newton step (28 bits) instead of
    /// a division. About half the operations of a range-split log polynomial with the rounding correction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Log1pUnit(Vector512<float> t)
    {
        var d = Vector512.Create(2f) + t;
        var inverse = Avx512F.Reciprocal14(d);
        inverse = Vector512.FusedMultiplyAdd(inverse, Vector512.FusedMultiplyAdd(-d, inverse, Vector512<float>.One), inverse);
        var s2 = (t + t) * inverse; // 2s
        var w = s2 * s2;            // 4s²: the series in w has coefficients 1/((2n + 1)·4ⁿ)
        var p = Vector512.Create(1f / 53248);
        p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(1f / 11264));
        p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(1f / 2304));
        p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(1f / 448));
        p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(1f / 80));
        p = Vector512.FusedMultiplyAdd(p, w, Vector512.Create(1f / 12));
        return Vector512.FusedMultiplyAdd(s2 * w, p, s2);
    }

    /// <summary>
    /// <see cref="Softplus(Vector512{float})"/> of two vectors with their steps interleaved, bit for bit the same values. Why: a
    /// softplus was a chain of about 45 dependent operations (180 cycles of latency; about 30 since log1p is a series in t), and the out-of-order scheduler holds
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
        var d0 = Vector512.Create(2f) + t0;
        var d1 = Vector512.Create(2f) + t1;
        var inverse0 = Avx512F.Reciprocal14(d0);
        var inverse1 = Avx512F.Reciprocal14(d1);
        inverse0 = Vector512.FusedMultiplyAdd(inverse0, Vector512.FusedMultiplyAdd(-d0, inverse0, Vector512<float>.One), inverse0);
        inverse1 = Vector512.FusedMultiplyAdd(inverse1, Vector512.FusedMultiplyAdd(-d1, inverse1, Vector512<float>.One), inverse1);
        var s20 = (t0 + t0) * inverse0;
        var s21 = (t1 + t1) * inverse1;
        var w0 = s20 * s20;
        var w1 = s21 * s21;
        var p0 = Vector512.Create(1f / 53248);
        var p1 = Vector512.Create(1f / 53248);
        p0 = Vector512.FusedMultiplyAdd(p0, w0, Vector512.Create(1f / 11264));
        p1 = Vector512.FusedMultiplyAdd(p1, w1, Vector512.Create(1f / 11264));
        p0 = Vector512.FusedMultiplyAdd(p0, w0, Vector512.Create(1f / 2304));
        p1 = Vector512.FusedMultiplyAdd(p1, w1, Vector512.Create(1f / 2304));
        p0 = Vector512.FusedMultiplyAdd(p0, w0, Vector512.Create(1f / 448));
        p1 = Vector512.FusedMultiplyAdd(p1, w1, Vector512.Create(1f / 448));
        p0 = Vector512.FusedMultiplyAdd(p0, w0, Vector512.Create(1f / 80));
        p1 = Vector512.FusedMultiplyAdd(p1, w1, Vector512.Create(1f / 80));
        p0 = Vector512.FusedMultiplyAdd(p0, w0, Vector512.Create(1f / 12));
        p1 = Vector512.FusedMultiplyAdd(p1, w1, Vector512.Create(1f / 12));
        l0 = Vector512.FusedMultiplyAdd(s20 * w0, p0, s20);
        l1 = Vector512.FusedMultiplyAdd(s21 * w1, p1, s21);
    }
}
