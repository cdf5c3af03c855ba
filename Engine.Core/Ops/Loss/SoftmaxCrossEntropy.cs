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

        return SoftmaxCrossEntropy(logits, Tensor.OneHot(labels, classes, logits.DType, logits.Backend));
    }

    /// <summary>
    /// The same loss with the labels as one-hot rows [B, C] (<see cref="Tensor.OneHot"/>): Σ_c onehot·(logsumexp − logits).
    /// A tensor made before a <see cref="CapturedStep"/> can take new labels between replays; an int[] would be uploaded
    /// inside the step.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor oneHotLabels)
    {
        CheckRank("softmax_cross_entropy", logits, 2, "logits");
        if (oneHotLabels.Shape != logits.Shape)
        {
            throw new ArgumentException($"softmax_cross_entropy: one-hot labels {oneHotLabels.Shape} do not match logits {logits.Shape}.");
        }

        return Sub(LogSumExp(logits, 1), Sum(Mul(logits, oneHotLabels), 1));
    }
}
