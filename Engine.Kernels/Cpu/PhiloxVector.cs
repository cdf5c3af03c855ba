using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Engine.Kernels.Cpu;

/// <summary>
/// <see cref="Philox"/> for eight consecutive counters at once (AVX-512: each 64-bit lane holds one 32-bit word, and
/// vpmuludq gives the 32×32→64-bit products of the rounds). Integer arithmetic and exact conversions only, so every
/// value is bit-identical to the scalar <see cref="Philox.Block"/> and <see cref="Philox.OpenUnit"/>; the scalar
/// rounds were ~10 % of an IS-NLL pass (4 M normals), the largest cost after the GEMMs.
/// </summary>
internal static class PhiloxVector
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512DQ.IsSupported;

    /// <summary>
    /// first[i] = OpenUnit(w0, w1) and second[i] = OpenUnit(w2, w3) of Philox.Block(counter + i, seed) for i &lt; 8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void OpenUnits8(ulong counter, ulong seed, ref double first, ref double second)
    {
        var low = Vector512.Create(0xFFFF_FFFFUL);
        var counters = Vector512.Create(counter) + Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7);
        var c0 = counters & low;
        var c1 = counters >>> 32;
        var c2 = Vector512<ulong>.Zero;
        var c3 = Vector512<ulong>.Zero;
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        var m0 = Vector512.Create((ulong)M0).AsUInt32();
        var m1 = Vector512.Create((ulong)M1).AsUInt32();
        for (var round = 0; round < 10; round++)
        {
            var p0 = Avx512F.Multiply(c0.AsUInt32(), m0);
            var p1 = Avx512F.Multiply(c2.AsUInt32(), m1);
            var n0 = (p1 >>> 32) ^ c1 ^ Vector512.Create((ulong)k0);
            var n2 = (p0 >>> 32) ^ c3 ^ Vector512.Create((ulong)k1);
            c1 = p1 & low;
            c3 = p0 & low;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }

        OpenUnit(c0, c1).StoreUnsafe(ref first);
        OpenUnit(c2, c3).StoreUnsafe(ref second);
    }

    /// <summary>As <see cref="Philox.OpenUnit"/>: ((hi·2³² + lo) ≫ 11 + ½)·2⁻⁵³, exact (the 53-bit integer converts exactly).</summary>
    private static Vector512<double> OpenUnit(Vector512<ulong> hi, Vector512<ulong> lo) =>
        (Avx512DQ.ConvertToVector512Double(((hi << 32) | lo) >>> 11) + Vector512.Create(0.5)) * Vector512.Create(1.0 / 9007199254740992.0);
}
