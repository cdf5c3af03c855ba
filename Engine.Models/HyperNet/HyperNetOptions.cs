namespace Engine.Models.HyperNet;

/// <summary>Distance used by the nearest-neighbour entropy estimator (spec hypernetwork §3).</summary>
public enum EntropyMetric
{
    /// <summary>Σ|a − b| (the reference code; default for reproduction).</summary>
    L1,
    /// <summary>‖a − b‖₂ (the paper's text).</summary>
    L2,
}

/// <summary>How the output biases are centred (spec hypernetwork §2).</summary>
public enum LogitGauge
{
    /// <summary>b − mean(b): Σb = 0 as the paper states.</summary>
    Mean,
    /// <summary>b − Σb: the reference code's version (softmax unchanged, sum not zero).</summary>
    SumQuirk,
}

/// <summary>Settings of the MNIST hypernetwork; every [choice] of the spec is here and goes into results.json.</summary>
public sealed record HyperNetOptions(
    double Lambda = 1e3,
    int NoiseDim = 300,
    int CodeSize = 15,
    EntropyMetric Metric = EntropyMetric.L1,
    LogitGauge LogitGauge = LogitGauge.Mean,
    bool GaugeFixing = true,
    double LeakyReluSlope = 0.05,
    double BatchNormEps = 1e-7,
    double BatchNormMomentum = 0.02);
