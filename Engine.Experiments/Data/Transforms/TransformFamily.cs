namespace Engine.Experiments.Data.Transforms;

/// <summary>The three MetaVAE MNIST transformation families (metavae.md §6).</summary>
public enum TransformFamily
{
    Rotation,
    Scale,
    Shear,
}
