using Engine.Core;

namespace Engine.Models.HyperNet;

/// <summary>
/// The MNIST target network (spec hypernetwork §4.1) as a function of generated weights: conv 5×5 SAME
/// 1→32 + ReLU + max-pool 2; conv 5×5 SAME 32→16 + ReLU + max-pool 2; FC 784→8 + ReLU; FC 8→10.
/// Each of the N networks classifies its own images: the convolutions run per network, the dense
/// layers as one batched matrix product. ReLU runs after the pooling, inside the conv + pool op: max-pool
/// commutes with the monotone ReLU, values and gradients alike (both route to the first maximal element,
/// and pass only where it is positive); the pooled tensor is a quarter the size, and a window the ReLU
/// cuts simply has no winner, so the ReLU costs no pass over memory of its own either way.
/// </summary>
public static class MnistTargetNetwork
{
    /// <summary>x [N, M, 784] (network n sees row n) → logits [N, M, 10].</summary>
    public static Tensor Forward(TargetWeights w, Tensor x)
    {
        var n = w.Count;
        if (x.Rank != 3 || x.Shape[0] != n || x.Shape[2] != 784)
        {
            throw new ArgumentException($"MnistTargetNetwork: images {x.Shape} must be [{n}, M, 784] for {n} networks.");
        }

        var m = x.Shape[1];
        var features = new Tensor[n];
        for (var i = 0; i < n; i++)
        {
            var image = Ops.Reshape(Ops.Slice(x, 0, i, 1), m, 1, 28, 28);
            // NOTE: conv + pool as one op: the full-size conv outputs (3.2 MB per net for this layer) are never written out
            var h = Ops.Conv2dMaxPool2x2(image, Ops.Reshape(Ops.Slice(w.W1, 0, i, 1), 32, 1, 5, 5), Ops.Reshape(Ops.Slice(w.B1, 0, i, 1), 32), padding: 2, relu: true);
            h = Ops.Conv2dMaxPool2x2(h, Ops.Reshape(Ops.Slice(w.W2, 0, i, 1), 16, 32, 5, 5), Ops.Reshape(Ops.Slice(w.B2, 0, i, 1), 16), padding: 2, relu: true);
            features[i] = Ops.Reshape(h, 1, m, 784);
        }

        var flat = Ops.Concat(0, features);                                                     // [N, M, 784]
        var hidden = Ops.Relu(Ops.Add(Ops.MatMul(flat, w.W3, transB: true), Ops.Reshape(w.B3, n, 1, 8)));
        return Ops.Add(Ops.MatMul(hidden, w.W4), Ops.Reshape(w.B4, n, 1, 10));
    }
}
