using System.Numerics;
using System.Runtime.InteropServices;
using Engine.Kernels.Cpu.Gemm;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The GEMM's packing against a plain index-by-index packing, with one value in six subnormal (either sign) and one in
/// twelve a signed zero: every packed value is the operand's, or 0 where that is subnormal, and the padding past the
/// matrix edge is 0. The shapes take every route: 16-, 8-, 4-, 2- and 1-row transposes with their k tails, whole and
/// partial copied strips, narrow last strips. The packing flushes subnormals in registers, so each route does it itself.
/// </summary>
public class GemmPackingTests
{
    private static readonly int[] Heights = [1, 2, 3, 5, 8, 13, 16, 17, 31, 37];
    private static readonly int[] Depths = [1, 4, 15, 16, 17, 64, 65, 130];

    [Test]
    public void PackA_MatchesReference_SubnormalsFlushed([Values(false, true)] bool transA, [Values(4, 10, 14)] int mr)
    {
        CheckPackA<float>(transA, mr, 1e-39f);
        CheckPackA<double>(transA, mr, 1e-310);
    }

    [Test]
    public void PackB_MatchesReference_SubnormalsFlushed([Values(false, true)] bool transB, [Values(false, true)] bool narrowEdge)
    {
        CheckPackB<float>(transB, narrowEdge, GemmKernel.TileColumns<float>(), 1e-39f);
        CheckPackB<double>(transB, narrowEdge, GemmKernel.TileColumns<double>(), 1e-310);
    }

    /// <summary>The layout changes and permutes that share the 16-row transpose move subnormals unchanged.</summary>
    [Test]
    public void Transpose16_WithoutFlush_KeepsSubnormalsBitForBit([Values(16, 23, 64)] int count)
    {
        Assume.That(System.Runtime.Intrinsics.X86.Avx512F.IsSupported, "the 16-row transpose is an AVX-512 routine");
        const int ld = 70, width = 19;
        var random = new Random(count);
        var src = Draw(16 * ld, 1e-39f, random);
        var dest = new float[count * width + 16];
        GemmPacking.Transpose16(ref src[0], ld, count, ref dest[0], width);
        for (var p = 0; p < count; p++)
        {
            for (var r = 0; r < 16; r++)
            {
                Assert.That(BitConverter.SingleToInt32Bits(dest[p * width + r]), Is.EqualTo(BitConverter.SingleToInt32Bits(src[r * ld + p])), $"p {p}, row {r}");
            }
        }
    }

    private static void CheckPackA<T>(bool transA, int mr, T subnormal) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var m in Heights)
        {
            foreach (var k in Depths)
            {
                var random = new Random(m * 1009 + k);
                const int pad = 3; // a leading dimension past the operand's width, and an offset
                var lda = (transA ? m : k) + pad;
                var a = Draw(pad + (transA ? k : m) * lda, subnormal, random);
                T At(int i, int p) => transA ? a[pad + p * lda + i] : a[pad + i * lda + p];
                var strips = (m + mr - 1) / mr;
                var (s0, s1) = (strips > 1 ? 1 : 0, strips); // starting past strip 0 too
                var packed = new T[(s1 - s0) * mr * k];
                GemmPacking.PackA(transA, a, pad, lda, m, k, s0, s1, mr, ref packed[0]);
                for (var s = s0; s < s1; s++)
                {
                    for (var p = 0; p < k; p++)
                    {
                        for (var r = 0; r < mr; r++)
                        {
                            var i = s * mr + r;
                            var expected = i < m ? Flushed(At(i, p)) : T.Zero;
                            Assert.That(packed[(s - s0) * mr * k + p * mr + r], Is.EqualTo(expected), $"{typeof(T).Name} transA {transA}, {m}×{k}, strip {s}, p {p}, row {r}");
                        }
                    }
                }
            }
        }
    }

    private static void CheckPackB<T>(bool transB, bool narrowEdge, int nr, T subnormal) where T : unmanaged, IFloatingPointIeee754<T>
    {
        foreach (var n in Heights.Concat([nr / 2, nr, nr + 3, 2 * nr + nr / 2]))
        {
            foreach (var k in Depths)
            {
                var random = new Random(n * 1009 + k);
                const int pad = 2;
                var ldb = (transB ? k : n) + pad;
                var b = Draw(pad + (transB ? n : k) * ldb, subnormal, random);
                T At(int p, int j) => transB ? b[pad + j * ldb + p] : b[pad + p * ldb + j];
                var p0 = k > 4 ? 3 : 0; // a k block that starts inside the operand
                var kc = k - p0;
                var strips = (n + nr - 1) / nr;
                var packed = new T[strips * kc * nr];
                GemmPacking.PackB(transB, b, pad, ldb, n, p0, kc, 0, strips, nr, narrowEdge, ref packed[0]);
                for (var t = 0; t < strips; t++)
                {
                    var cols = Math.Min(nr, n - t * nr);
                    var w = narrowEdge && cols <= nr / 2 ? nr / 2 : nr;
                    for (var p = 0; p < kc; p++)
                    {
                        for (var j = 0; j < w; j++)
                        {
                            var expected = j < cols ? Flushed(At(p0 + p, t * nr + j)) : T.Zero;
                            Assert.That(packed[t * kc * nr + p * w + j], Is.EqualTo(expected), $"{typeof(T).Name} transB {transB}, n {n}, k {k}, strip {t}, p {p}, column {j}");
                        }
                    }
                }
            }
        }
    }

    private static T Flushed<T>(T x) where T : IFloatingPointIeee754<T> => T.IsSubnormal(x) ? T.Zero : x;

    private static T[] Draw<T>(int length, T subnormal, Random random) where T : IFloatingPointIeee754<T>
    {
        var values = new T[length];
        for (var i = 0; i < length; i++)
        {
            var sign = random.Next(2) == 0 ? T.One : -T.One;
            values[i] = random.Next(12) switch
            {
                0 or 1 => sign * subnormal * T.CreateChecked(random.Next(1, 9)),
                2 => sign * T.Zero,
                _ => sign * T.CreateChecked(random.NextDouble() + 0.25),
            };
        }

        return values;
    }
}
