using System.Numerics;

namespace Engine.Kernels.Reference;

/// <summary>Ground truth for the nearest-neighbour kernels: float64 loops over every ordered pair.</summary>
internal static class ReferenceNeighbours
{
    /// <summary>distance[i] = min over j ≠ i of ‖x_i − x_j‖ (L1 or Euclidean), neighbour[i] = the lowest such j.</summary>
    public static void Nearest<T>(ReadOnlySpan<T> x, int n, int dim, bool l1, Span<double> distance, Span<int> neighbour) where T : INumberBase<T>
    {
        for (var i = 0; i < n; i++)
        {
            (distance[i], neighbour[i]) = (double.PositiveInfinity, -1);
            for (var j = 0; j < n; j++)
            {
                if (j == i)
                {
                    continue;
                }

                var sum = 0.0;
                for (var k = 0; k < dim; k++)
                {
                    var d = double.CreateChecked(x[i * dim + k]) - double.CreateChecked(x[j * dim + k]);
                    sum += l1 ? Math.Abs(d) : d * d;
                }

                var value = l1 ? sum : Math.Sqrt(sum);
                if (value < distance[i])
                {
                    (distance[i], neighbour[i]) = (value, j);
                }
            }
        }
    }

    /// <summary>dx += the gradient of Σ_i dd[i]·‖x_i − x_nb(i)‖ with the neighbours held fixed (0 where a difference or distance is 0).</summary>
    public static void NearestBackward<T>(ReadOnlySpan<T> x, ReadOnlySpan<int> neighbour, ReadOnlySpan<double> distance, ReadOnlySpan<T> dd, Span<double> dx, int n, int dim, bool l1)
        where T : INumberBase<T>
    {
        for (var i = 0; i < n; i++)
        {
            var j = neighbour[i];
            for (var k = 0; k < dim; k++)
            {
                var diff = double.CreateChecked(x[i * dim + k]) - double.CreateChecked(x[j * dim + k]);
                var g = double.CreateChecked(dd[i]) * (l1 ? Math.Sign(diff) : distance[i] > 0 ? diff / distance[i] : 0);
                dx[i * dim + k] += g;
                dx[j * dim + k] -= g;
            }
        }
    }
}
