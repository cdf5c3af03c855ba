namespace Engine.Kernels;

/// <summary>Elementwise functions y = f(x; p0, p1) that the backends implement, forward and backward.</summary>
public enum UnaryOp
{
    /// <summary>y = −x.</summary>
    Neg,
    /// <summary>y = exp(x).</summary>
    Exp,
    /// <summary>y = log(x).</summary>
    Log,
    /// <summary>y = √x.</summary>
    Sqrt,
    /// <summary>y = x².</summary>
    Square,
    /// <summary>y = x^p0.</summary>
    Pow,
    /// <summary>y = |x|.</summary>
    Abs,
    /// <summary>y = min(max(x, p0), p1); also hardtanh.</summary>
    Clamp,
    /// <summary>y = max(x, 0).</summary>
    Relu,
    /// <summary>y = x if x &gt; 0 else p0·x.</summary>
    LeakyRelu,
    /// <summary>y = 1 / (1 + exp(−x)).</summary>
    Sigmoid,
    /// <summary>y = tanh(x).</summary>
    Tanh,
    /// <summary>y = log(1 + exp(x)), computed stably.</summary>
    Softplus,
    /// <summary>y = −softplus(−x) = log σ(x), computed stably.</summary>
    LogSigmoid,
    /// <summary>y = p0·x + p1.</summary>
    Affine,
    /// <summary>y = x (activation "none").</summary>
    Identity,
}
