namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// A view with a new shape and the same elements in the same order; one dimension may be −1
    /// (inferred). VJP: dx = dy reshaped back.
    /// </summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var dims = (int[])shape.Clone();
        var inferred = Array.IndexOf(dims, -1);
        if (inferred >= 0)
        {
            var known = 1;
            for (var i = 0; i < dims.Length; i++)
            {
                known *= i == inferred ? 1 : dims[i];
            }

            dims[inferred] = known == 0 ? 0 : x.Numel / known;
        }

        var target = new Shape(dims);
        if (target.Numel != x.Numel)
        {
            throw new ArgumentException($"reshape: cannot view {x.Shape} ({x.Numel} elements) as [{string.Join(", ", shape)}].");
        }

        if (target == x.Shape)
        {
            return x;
        }

        var y = new Tensor(target, x.Buffer, x.Offset, x);
        // a gradient y held alone goes on to x as a view of the same buffer, still held alone (the layer before may overwrite it)
        Tape.Record("reshape", y, [x], dy => x.AccumulateGrad(Reshape(dy, x.Shape.ToArray()), handedOver: y.TakeOwnedGrad(dy)));
        return y;
    }

    /// <summary>[d0, d1, …] → [d0, d1·…]: keeps the batch axis.</summary>
    public static Tensor Flatten(Tensor x) => Reshape(x, x.Shape[0], -1);
}
