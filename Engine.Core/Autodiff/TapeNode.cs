namespace Engine.Core;

/// <summary>
/// One recorded op: its output, its inputs and the closure that turns the output's gradient into
/// the inputs' (the VJP). The closure must accumulate, never assign, so a tensor used twice
/// receives both contributions.
/// </summary>
internal sealed class TapeNode(string op, Tensor output, Tensor[] inputs, Action<Tensor> backward)
{
    public string Op { get; } = op;

    public Tensor Output { get; } = output;

    public Tensor[] Inputs { get; } = inputs;

    public Action<Tensor> Backward { get; } = backward;
}
