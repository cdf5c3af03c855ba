using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The CPU nearest-neighbour kernels against <see cref="ReferenceNeighbours"/>: every row length 1 … 3W + 1 (each vector
/// remainder), the hypernetwork's 32 samples on a width that splits the backward between both threads, rows longer than
/// two blocks of coordinates, and exact ties.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class NeighbourKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static IEnumerable<(int N, int Dim)> Shapes =>
        KernelBench<T>.AllLengths.Where(d => d > 0).Select(d => (5, d))
            .Append((2, 3))
            .Append((32, 2001)) // both threads in the forward (rows) and the backward (columns)
            .Append((6, 2 * 2048 + 37)); // three blocks of coordinates in the forward, the last one short

    [Test]
    public void NearestAndBackward_AllShapes_MatchReference([Values] bool l1)
    {
        foreach (var (n, dim) in Shapes)
        {
            var x = KernelBench<T>.Random(dim + 40, n * dim);
            var dd = KernelBench<T>.Random(dim + 41, n);
            var dxStart = KernelBench<T>.Random(dim + 42, n * dim);
            AssertMatches(x, dd, dxStart, n, dim, l1, $"{(l1 ? "L1" : "L2")} {n}×{dim}");
        }
    }

    [Test]
    public void Ties_GoToTheLowestIndex_AndZeroDistancesHaveZeroGradient([Values] bool l1)
    {
        // rows 0 and 2 are the same point, so row 1 is equally far from both, and rows 0 and 2 are at distance 0
        var a = KernelBench<T>.Random(1, 19);
        var b = KernelBench<T>.Random(2, 19);
        var x = a.Concat(b).Concat(a).ToArray();
        AssertMatches(x, KernelBench<T>.Random(3, 3), KernelBench<T>.Random(4, 3 * 19), 3, 19, l1, $"{(l1 ? "L1" : "L2")} ties");
        var neighbour = Bench.Output(3, 1);
        Backend.NearestNeighbours(Bench.View(x, 2), 3, 19, l1, Bench.Output(3, 0), neighbour);
        Assert.That(Bench.Read(neighbour).Select(v => double.CreateChecked(v)), Is.EqualTo(new[] { 2.0, 0.0, 0.0 }));
    }

    /// <summary>
    /// Ties inside one four-row pass and between a pass and the rows after it (rows are measured four at a time): rows 0
    /// and 3 are one point, rows 1, 4 and 5 another, on a length with 256-bit and scalar tails.
    /// </summary>
    [Test]
    public void Ties_AcrossTheFourRowPasses_GoToTheLowestIndex([Values] bool l1)
    {
        const int dim = 2 * 16 + 8 + 5;
        var (a, b, c) = (KernelBench<T>.Random(5, dim), KernelBench<T>.Random(6, dim), KernelBench<T>.Random(7, dim));
        var x = a.Concat(b).Concat(c).Concat(a).Concat(b).Concat(b).ToArray();
        AssertMatches(x, KernelBench<T>.Random(8, 6), KernelBench<T>.Random(9, 6 * dim), 6, dim, l1, $"{(l1 ? "L1" : "L2")} ties across passes");
        var neighbour = Bench.Output(6, 1);
        Backend.NearestNeighbours(Bench.View(x, 2), 6, dim, l1, Bench.Output(6, 0), neighbour);
        Assert.That(Bench.Read(neighbour).Select(v => int.CreateChecked(v)).Where((_, i) => i != 2), Is.EqualTo(new[] { 3, 4, 0, 1, 1 }));
    }

    [Test]
    public void FewerThanTwoRows_IsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() => Backend.NearestNeighbours(Bench.View(KernelBench<T>.Random(1, 4), 0), 1, 4, true, Bench.Output(1, 0), Bench.Output(1, 0)));
        Assert.That(error!.Message, Does.Contain("n ≥ 2"));
    }

    private void AssertMatches(T[] x, T[] dd, T[] dxStart, int n, int dim, bool l1, string what)
    {
        var (distanceWant, neighbourWant) = (new double[n], new int[n]);
        ReferenceNeighbours.Nearest<T>(x, n, dim, l1, distanceWant, neighbourWant);
        var dxWant = Array.ConvertAll(dxStart, v => double.CreateChecked(v));
        ReferenceNeighbours.NearestBackward<T>(x, neighbourWant, distanceWant, dd, dxWant, n, dim, l1);

        var (xv, distance, neighbour, dx) = (Bench.View(x, 3), Bench.Output(n, 1), Bench.Output(n, 2), Bench.View(dxStart, 1));
        Backend.NearestNeighbours(xv, n, dim, l1, distance, neighbour);
        Backend.NearestNeighboursBackward(xv, neighbour, distance, Bench.View(dd, 2), dx, n, dim, l1);
        Assert.That(Bench.ReadGuarded(neighbour, "neighbour").Select(v => int.CreateChecked(v)), Is.EqualTo(neighbourWant), $"{what}: neighbours");
        KernelBench<T>.AssertClose(distanceWant, Bench.ReadGuarded(distance, "distance"), $"{what}: distance");
        KernelBench<T>.AssertClose(dxWant, Bench.ReadGuarded(dx, "dx"), $"{what}: dx");
    }
}
