namespace Engine.Models.Meta;

/// <summary>The two set-level baselines of MetaVAE (spec metavae §5).</summary>
public enum ContextModel
{
    /// <summary>Variational Homoencoder: a separate context set D of N images per x; q(c|D) linear per element.</summary>
    Homoencoder,
    /// <summary>Neural Statistician: the whole mini-batch is the set; q(c|D) with ELU per element.</summary>
    NeuralStatistician,
}

/// <summary>Sizes and [choice] flags of the context-latent baselines (spec metavae §5).</summary>
/// <param name="KlContextWeight">w_c on KL(q(c|D) ‖ p(c)): 1 as the reference (default) or 1/N as seed Eq. 13.</param>
/// <param name="VampPriorComponents">K pseudo-sets for VHE+VampPrior (0 = standard prior on c).</param>
public sealed record ContextVaeOptions(
    ContextModel Model = ContextModel.Homoencoder,
    int Inputs = 784,
    int Latents = 40,
    int ContextLatents = 300,
    int Hidden = 400,
    int DecoderWide = 4096,
    double KlContextWeight = 1.0,
    int VampPriorComponents = 0,
    int PseudoSetSize = 10,
    double PseudoInputMean = 0.05,
    double PseudoInputStd = 0.01);
