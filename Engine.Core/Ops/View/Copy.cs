namespace Engine.Core;

public static partial class Ops
{
    /// <summary>y = x in a buffer of its own. VJP: dx = dy.</summary>
    public static Tensor Copy(Tensor x)
    {
        var y = x.EmptyLike();
        x.Backend.Copy(x.View, y.View);
        Tape.Record("copy", y, [x], dy => x.AccumulateGrad(dy));
        return y;
    }
}
