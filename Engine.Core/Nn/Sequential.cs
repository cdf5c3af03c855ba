namespace Engine.Core.Nn;

/// <summary>Applies its layers in order.</summary>
public sealed class Sequential(params Layer[] layers) : Layer
{
    public IReadOnlyList<Layer> Layers { get; } = layers;

    public override Tensor Forward(Tensor x)
    {
        foreach (var layer in Layers)
        {
            x = layer.Forward(x);
        }

        return x;
    }

    protected override IEnumerable<Module> Children() => Layers;
}

/// <summary>A parameter-free layer from a function (activations, reshapes).</summary>
public sealed class Lambda(Func<Tensor, Tensor> f) : Layer
{
    public override Tensor Forward(Tensor x) => f(x);
}
