namespace Engine.Core;

public sealed partial class Tape
{
    /// <summary>
    /// Names where the first NaN or ±∞ of this step appeared, for a run that must stop on one:
    /// the first recorded op (in forward order) whose output, or whose leaf input, is non-finite;
    /// failing that, the first op in backward order whose VJP turned a finite output gradient into
    /// a non-finite input gradient. Null when every recorded value and gradient is finite.
    /// </summary>
    public string? DescribeFirstNonFinite()
    {
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            foreach (var input in node.Inputs)
            {
                if (input.IsLeaf && !IsFinite(input))
                {
                    return $"input {Label(input)} of op '{node.Op}' (op {i + 1} of {_nodes.Count}) is non-finite";
                }
            }

            if (!IsFinite(node.Output))
            {
                return $"op '{node.Op}' (op {i + 1} of {_nodes.Count}, output {node.Output.Shape}) produced the first non-finite value";
            }
        }

        for (var i = _nodes.Count - 1; i >= 0; i--)
        {
            var node = _nodes[i];
            if (GradientOf(node.Output) is { } dy && !IsFinite(dy))
            {
                continue; // the culprit ran earlier in the backward pass
            }

            foreach (var input in node.Inputs)
            {
                if (GradientOf(input) is { } dx && !IsFinite(dx))
                {
                    return $"the backward of op '{node.Op}' (op {i + 1} of {_nodes.Count}) produced a non-finite gradient for {Label(input)}";
                }
            }
        }

        return null;
    }

    /// <summary>The tensor's gradient, or the buffer its own VJP took over and overwrote in place (<see cref="Tensor.ConsumedGrad"/>).</summary>
    private static Tensor? GradientOf(Tensor t) => t.Grad ?? t.ConsumedGrad;

    private static bool IsFinite(Tensor t) => t.Backend.AllFinite(t.View);

    private static string Label(Tensor t) => t.Name is { } name ? $"'{name}' {t.Shape}" : $"{t.Shape}";
}
