namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// ll = Σ_d x·l − softplus(l) over the last axis: log Bernoulli(x | σ(l)) from logits, stable for
    /// any |l|. logits [..., D]; x [..., D] of the same shape, or with fewer leading rows that repeat
    /// (logits [S·B, D] or [S, B, D] against x [B, D] for S samples). Output: logits' shape without D.
    /// VJP: dl = dll ⊙ (x − σ(l)); the targets x get no gradient.
    /// </summary>
    public static Tensor BernoulliLogLikelihood(Tensor logits, Tensor x)
    {
        CheckCompatible("bernoulli_log_likelihood", logits, x);
        var cols = logits.Shape[-1];
        if (x.Shape[-1] != cols || logits.Numel % Math.Max(1, x.Numel) != 0 || !TrailingMatch(logits.Shape, x.Shape))
        {
            throw new ArgumentException($"bernoulli_log_likelihood: targets {x.Shape} do not match logits {logits.Shape}.");
        }

        var rows = logits.Numel / Math.Max(1, cols);
        var xRows = x.Numel / Math.Max(1, cols);
        var ll = Tensor.Empty(logits.Shape.Without(-1), logits.DType, logits.Backend);
        logits.Backend.BernoulliLogLikelihood(logits.View, x.View, ll.View, rows, cols, xRows);
        Tape.Record("bernoulli_log_likelihood", ll, [logits], dll =>
        {
            var dlogits = logits.EmptyLike();
            logits.Backend.BernoulliLogLikelihoodBackward(logits.View, x.View, dll.View, dlogits.View, rows, cols, xRows);
            logits.AccumulateGrad(dlogits);
        });
        return ll;
    }

    /// <summary>True when <paramref name="small"/> equals the trailing axes of <paramref name="big"/> (after dropping leading 1s).</summary>
    private static bool TrailingMatch(Shape big, Shape small)
    {
        if (small.Numel == big.Numel)
        {
            return true;
        }

        var dims = small.Dims;
        while (dims.Length > 0 && dims[0] == 1)
        {
            dims = dims[1..];
        }

        return dims.Length <= big.Rank && big.Dims[(big.Rank - dims.Length)..].SequenceEqual(dims);
    }
}
