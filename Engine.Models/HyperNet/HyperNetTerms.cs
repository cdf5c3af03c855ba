using Engine.Core;

namespace Engine.Models.HyperNet;

/// <summary>One step's objective: Loss = λ·CrossEntropy − Entropy (spec hypernetwork §1), plus accuracy for logs.</summary>
public sealed record HyperNetTerms(Tensor Loss, Tensor CrossEntropy, Tensor Entropy, double Accuracy);
