using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Operators;

/// <summary>
/// cos(2π·u) for u in [0, 1] on 8 float64 lanes, each lane a function of its own input only (Box–Muller's angle in
/// <see cref="NormalFill{T}"/>). Why: TensorPrimitives.Cos(double) gave results that differ in the last bit with the
/// alignment of the span it works on (measured: 672 lanes of 256 × 512 differ across offsets), so the same seed drew
/// different normals on one thread and on two (the chunks' stack buffers are aligned differently). Here, as the scalar
/// <see cref="Philox.Normal"/> does, x = 2π·u is rounded first (so both agree to about an ulp); then x is reduced by
/// k = round(x / (π/2)) with π/2 in two parts (Cody–Waite, by FMA; k ≤ 4 for u in [0, 1]), Taylor polynomials of sin and
/// cos on |r| ≤ π/4 (remainders under 10⁻¹⁷), and the quadrant k mod 4 picks ±sin or ±cos.
/// </summary>
internal static class TurnCosine
{
    private const double HalfPiHigh = 1.5707963267948966;      // π/2 rounded to double
    private const double HalfPiLow = 6.123233995736766e-17;    // π/2 − HalfPiHigh

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Cos(Vector512<double> u)
    {
        var angle = u * (2.0 * Math.PI);
        var k = Vector512.Round(angle * (2.0 / Math.PI));
        var x = Vector512.FusedMultiplyAdd(-k, Vector512.Create(HalfPiHigh), angle);
        x = Vector512.FusedMultiplyAdd(-k, Vector512.Create(HalfPiLow), x);
        var x2 = x * x;

        var s = Vector512.Create(1.0 / 355687428096000);
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(-1.0 / 1307674368000));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(1.0 / 6227020800));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(-1.0 / 39916800));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(1.0 / 362880));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(-1.0 / 5040));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(1.0 / 120));
        s = Vector512.FusedMultiplyAdd(s, x2, Vector512.Create(-1.0 / 6));
        var sin = Vector512.FusedMultiplyAdd(x * x2, s, x);

        var c = Vector512.Create(-1.0 / 6402373705728000);
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(1.0 / 20922789888000));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(-1.0 / 87178291200));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(1.0 / 479001600));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(-1.0 / 3628800));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(1.0 / 40320));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(-1.0 / 720));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(1.0 / 24));
        c = Vector512.FusedMultiplyAdd(c, x2, Vector512.Create(-0.5));
        var cos = Vector512.FusedMultiplyAdd(c, x2, Vector512<double>.One);

        // cos(x + qπ/2) for q = k mod 4: cos x, −sin x, −cos x, sin x
        var q = Vector512.ConvertToInt64(k) & Vector512.Create(3L);
        var odd = Vector512.Equals(q & Vector512<long>.One, Vector512<long>.One).AsDouble();
        var negative = Vector512.Equals(q, Vector512.Create(1L)) | Vector512.Equals(q, Vector512.Create(2L));
        var value = Vector512.ConditionalSelect(odd, sin, cos);
        return Vector512.ConditionalSelect(negative.AsDouble(), -value, value);
    }
}
