namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// For samples x [N, D] (N ≥ 2): distance[i] = min over j ≠ i of ‖x_i − x_j‖, L1 when <paramref name="l1"/>, else
    /// Euclidean, and the index of that nearest other row (the lowest on ties) through <paramref name="neighbours"/>
    /// (no gradient; its values are row indices in x's element type). The search runs on the device, so a step that uses
    /// it can be captured. VJP: the neighbour is held fixed; dx_i += dd_i·g and dx_nb(i) −= dd_i·g, with g = sign(x_i − x_nb)
    /// for L1 and (x_i − x_nb)/distance_i for L2 (0 where the distance is 0).
    /// </summary>
    public static Tensor NearestNeighbourDistance(Tensor x, bool l1, out Tensor neighbours)
    {
        CheckRank("nearest_neighbour_distance", x, 2, "samples [N, D]");
        int n = x.Shape[0], dim = x.Shape[1];
        if (n < 2 || dim < 1)
        {
            throw new ArgumentException($"nearest_neighbour_distance: needs at least 2 samples of at least 1 dimension, got {x.Shape}.");
        }

        var distance = Tensor.Empty(new Shape(n), x.DType, x.Backend);
        var neighbour = Tensor.Empty(new Shape(n), x.DType, x.Backend);
        x.Backend.NearestNeighbours(x.View, n, dim, l1, distance.View, neighbour.View);
        Tape.Record("nearest_neighbour_distance", distance, [x], dd =>
        {
            var dx = Tensor.Zeros(x.Shape, x.DType, x.Backend);
            x.Backend.NearestNeighboursBackward(x.View, neighbour.View, distance.View, dd.View, dx.View, n, dim, l1);
            x.AccumulateGrad(dx);
        });
        neighbours = neighbour.Detach();
        return distance;
    }
}
