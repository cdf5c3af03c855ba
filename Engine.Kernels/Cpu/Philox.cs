using System.Runtime.CompilerServices;

namespace Engine.Kernels.Cpu;

/// <summary>
/// Philox4x32-10 (Salmon et al., SC'11): a counter-based generator, so element i of a fill is a
/// pure function of (seed, counter + i). Any backend and any thread split give the same numbers,
/// and a GPU kernel can compute the same stream with the same ten rounds.
/// </summary>
public static class Philox
{
    private const uint M0 = 0xD2511F53, M1 = 0xCD9E8D57, W0 = 0x9E3779B9, W1 = 0xBB67AE85;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (uint, uint, uint, uint) Block(ulong counter, ulong seed)
    {
        uint c0 = (uint)counter, c1 = (uint)(counter >> 32), c2 = 0, c3 = 0;
        uint k0 = (uint)seed, k1 = (uint)(seed >> 32);
        for (var round = 0; round < 10; round++)
        {
            var p0 = (ulong)M0 * c0;
            var p1 = (ulong)M1 * c2;
            var n0 = (uint)(p1 >> 32) ^ c1 ^ k0;
            var n2 = (uint)(p0 >> 32) ^ c3 ^ k1;
            c1 = (uint)p1;
            c3 = (uint)p0;
            c0 = n0;
            c2 = n2;
            k0 += W0;
            k1 += W1;
        }

        return (c0, c1, c2, c3);
    }

    /// <summary>A double in (0, 1) from 53 random bits (never 0, so log is safe).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double OpenUnit(uint hi, uint lo) =>
        (((((ulong)hi << 32) | lo) >> 11) + 0.5) * (1.0 / 9007199254740992.0);

    /// <summary>One standard normal per counter, by Box–Muller on two 53-bit uniforms.</summary>
    public static double Normal(ulong counter, ulong seed)
    {
        var (a, b, c, d) = Block(counter, seed);
        var u1 = OpenUnit(a, b);
        var u2 = OpenUnit(c, d);
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static double Uniform(ulong counter, ulong seed)
    {
        var (a, b, _, _) = Block(counter, seed);
        return OpenUnit(a, b);
    }
}
