namespace Engine.Tests.Support;

/// <summary>Finite-difference settings, no looser than torch.autograd.gradcheck's defaults.</summary>
public static class Tolerances
{
    public const double Eps = 1e-6;
    public const double Atol = 1e-5;
    public const double Rtol = 1e-3;
}
