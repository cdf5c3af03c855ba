namespace Engine.Models.Meta;

/// <summary>MetaVAE (MLP) sizes and the reference-quirk flags (spec metavae §2, ambiguities 1).</summary>
public sealed record MetaVaeOptions(
    int Inputs = 784,
    int Latents = 40,
    int Hidden = 400,
    int Datasets = 1,
    bool SummaryDivideByBatch = false);
