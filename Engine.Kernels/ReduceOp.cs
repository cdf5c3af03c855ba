namespace Engine.Kernels;

/// <summary>Reductions over the middle axis of an [outer, n, inner] view.</summary>
public enum ReduceOp
{
    /// <summary>y = Σ x.</summary>
    Sum,
    /// <summary>y = max x; its gradient goes to the first maximal element.</summary>
    Max,
    /// <summary>y = log Σ exp x, with the max-shift trick.</summary>
    LogSumExp,
}
