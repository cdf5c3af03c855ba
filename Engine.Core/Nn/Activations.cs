namespace Engine.Core.Nn;

/// <summary>Parameter-free activation layers for <see cref="Sequential"/> stacks.</summary>
public static class Activations
{
    public static Layer Relu() => new Lambda(Ops.Relu);

    public static Layer LeakyRelu(double alpha) => new Lambda(x => Ops.LeakyRelu(x, alpha));

    public static Layer Tanh() => new Lambda(Ops.Tanh);

    public static Layer Sigmoid() => new Lambda(Ops.Sigmoid);

    public static Layer Flatten() => new Lambda(Ops.Flatten);

    public static Layer Reshape(params int[] shape) => new Lambda(x => Ops.Reshape(x, shape));
}
