namespace Engine.Models.Hyper;

/// <summary>How a generated tensor is laid out as the matrix U·H·V + B (spec hypervae §3 [choice]).</summary>
public enum MatrixFactorization
{
    /// <summary>
    /// m = the tensor's first axis, n = the rest (our storage layout: dense [out, in], conv [K, C·R·S],
    /// transposed conv [C_in, C_out·R·S]); bias [1, n]. The spec's mapping is the transpose of this
    /// one, and the two families are the same up to transposing H (an equivalent reshape of the trunk).
    /// </summary>
    Layout,
    /// <summary>rows = the largest divisor of numel that is ≤ √numel (benchmark e).</summary>
    Balanced,
}

/// <summary>The hyper-decoder trunk: u → Dense 100 → ReLU → Dense 400 → ReLU (default) or u → Dense 400 → ReLU.</summary>
public enum HyperTrunk
{
    Dense100Then400,
    Dense400,
}

/// <summary>
/// HyperVAE settings; every [choice] of spec hypervae is a named option here and goes into results.json.
/// </summary>
public sealed record HyperVaeOptions(
    int TaskLatents = 10,
    int DataLatents = 10,
    int MatrixSize = 20,
    HyperTrunk Trunk = HyperTrunk.Dense100Then400,
    MatrixFactorization Factorization = MatrixFactorization.Layout,
    double FactorInitStd = 0.01,
    Engine.Core.Activation GeneratedActivation = Engine.Core.Activation.None);
