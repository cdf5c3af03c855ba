namespace Engine.Experiments.Meta;

/// <summary>
/// Which side of the two reference-vs-paper ambiguities a MetaVAE run takes (spec metavae,
/// ambiguities 1 and 3), chosen by the environment variable <see cref="EnvironmentVariable"/> and
/// recorded in results.json and results.md:
/// <list type="bullet">
/// <item><c>default</c>: the spec's choice — a true mean in the summary network, VHE KL(c) weight 1 (as the reference).</item>
/// <item><c>reference</c>: the MI repo's code — summary sum divided by the mini-batch size, KL(c) weight 1.</item>
/// <item><c>paper</c>: the seed's equations — a true mean, KL(c) weight 1/N (Eq. 13).</item>
/// </list>
/// </summary>
public sealed record MetaVaeVariant(string Name, bool SummaryDivideByBatch, bool KlContextOverSetSize)
{
    public const string EnvironmentVariable = "ENGINE_METAVAE_VARIANT";

    public static IReadOnlyList<MetaVaeVariant> All { get; } =
    [
        new("default", SummaryDivideByBatch: false, KlContextOverSetSize: false),
        new("reference", SummaryDivideByBatch: true, KlContextOverSetSize: false),
        new("paper", SummaryDivideByBatch: false, KlContextOverSetSize: true),
    ];

    public static MetaVaeVariant Default => All[0];

    /// <summary>The variant named by <see cref="EnvironmentVariable"/> (unset or empty = default); an unknown name is a usage error.</summary>
    public static MetaVaeVariant FromEnvironment() => Parse(Environment.GetEnvironmentVariable(EnvironmentVariable));

    public static MetaVaeVariant Parse(string? name) =>
        string.IsNullOrWhiteSpace(name)
            ? Default
            : All.FirstOrDefault(v => v.Name == name.Trim().ToLowerInvariant())
              ?? throw new ExperimentException($"{EnvironmentVariable}='{name}' is not a MetaVAE variant; use one of {string.Join(", ", All.Select(v => v.Name))}.", ExitCodes.Usage);

    /// <summary>w_c on the VHE's KL(q(c|D) ‖ p(c)).</summary>
    public double KlContextWeight(int setSize) => KlContextOverSetSize ? 1.0 / setSize : 1.0;

    public string Describe() =>
        $"variant '{Name}' ({EnvironmentVariable}): summary = {(SummaryDivideByBatch ? "sum over the set ÷ mini-batch size (reference code)" : "mean over the set (paper)")}, "
        + $"VHE KL(c) weight = {(KlContextOverSetSize ? "1/N (seed Eq. 13)" : "1 (reference code)")}";
}
