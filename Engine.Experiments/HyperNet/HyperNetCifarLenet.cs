namespace Engine.Experiments.HyperNet;

/// <summary>
/// hypernet/cifar/lenet (seed 004 Table 1, LeNet row; spec hypernetwork §6). CIFAR-10 is not on this
/// machine, so the runner stops before this runs with the dataset's "not found" error; the LeNet
/// hypernetwork itself (spec §6.2) is not built yet, which this says plainly if the data ever appears.
/// </summary>
public sealed class HyperNetCifarLenet : IExperiment
{
    /// <summary>Seed 004 Table 1, CIFAR-10, LeNet: HN with entropy, mean of 10 samples / majority vote.</summary>
    public const double PaperMeanAccuracy = 72.34;
    public const double PaperMajorityAccuracy = 78.21;

    public ExperimentResult Run(RunContext context) =>
        throw new ExperimentException("hypernet/cifar/lenet: the CIFAR-10 LeNet hypernetwork (spec hypernetwork §6.2) is not implemented yet; only the data check exists.");
}
