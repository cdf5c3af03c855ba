namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// Per-row −log softmax(logits)[label] = logsumexp(logits) − logits[label]; logits [B, C],
    /// labels B integers in [0, C). VJP (through the composition): dl = dy ⊙ (softmax − onehot).
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, int[] labels)
    {
        CheckRank("softmax_cross_entropy", logits, 2, "logits");
        int rows = logits.Shape[0], classes = logits.Shape[1];
        if (labels.Length != rows)
        {
            throw new ArgumentException($"softmax_cross_entropy: {labels.Length} labels for logits {logits.Shape}.");
        }

        var onehot = new double[rows * classes];
        for (var r = 0; r < rows; r++)
        {
            if ((uint)labels[r] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), $"softmax_cross_entropy: label {labels[r]} at row {r} is outside [0, {classes}).");
            }

            onehot[r * classes + labels[r]] = 1;
        }

        var mask = logits.DType == Engine.Kernels.DType.Float64
            ? Tensor.FromSpan<double>(onehot, logits.Shape, logits.Backend)
            : Tensor.FromSpan<float>(Array.ConvertAll(onehot, v => (float)v), logits.Shape, logits.Backend);
        return Sub(LogSumExp(logits, 1), Sum(Mul(logits, mask), 1));
    }
}
