namespace Engine.Kernels;

/// <summary>Elementwise y = a ∘ b with broadcasting, as the backends implement it.</summary>
public enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
}
