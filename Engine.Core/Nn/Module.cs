namespace Engine.Core.Nn;

/// <summary>
/// Something with parameters. A module lists its own parameters and children explicitly
/// (no reflection), so what an optimiser updates is readable in the model's source.
/// </summary>
public abstract class Module
{
    public bool Training { get; private set; } = true;

    /// <summary>Parameters owned directly by this module.</summary>
    protected virtual IEnumerable<Tensor> OwnParameters() => [];

    /// <summary>Sub-modules, in the order they are applied.</summary>
    protected virtual IEnumerable<Module> Children() => [];

    /// <summary>Every parameter of this module and its children, depth first, each once.</summary>
    public IEnumerable<Tensor> Parameters()
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var p in OwnParameters().Concat(Children().SelectMany(c => c.Parameters())))
        {
            if (seen.Add(p))
            {
                yield return p;
            }
        }
    }

    /// <summary>Non-trainable state saved in checkpoints (batch-norm running statistics).</summary>
    public virtual IEnumerable<Tensor> Buffers() => Children().SelectMany(c => c.Buffers());

    public long ParameterCount() => Parameters().Sum(p => (long)p.Numel);

    /// <summary>Switches training-mode behaviour (batch norm) for this module and its children.</summary>
    public void Train(bool training = true)
    {
        Training = training;
        foreach (var child in Children())
        {
            child.Train(training);
        }
    }

    public void Eval() => Train(false);

    public void ZeroGrad()
    {
        foreach (var p in Parameters())
        {
            p.ZeroGrad();
        }
    }
}

/// <summary>A module with one input and one output, composable in a <see cref="Sequential"/>.</summary>
public abstract class Layer : Module
{
    public abstract Tensor Forward(Tensor x);
}
