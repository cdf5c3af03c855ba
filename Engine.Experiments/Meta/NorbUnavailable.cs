using Engine.Experiments.Data;

namespace Engine.Experiments.Meta;

/// <summary>
/// The small-NORB rows of MetaVAE's Fig. 7 and Tables 1–2 (spec metavae §4, §7). They are listed so
/// the report shows the gap; the runner stops them before training because the dataset is absent
/// (<see cref="SmallNorb.Info"/> says why and where to get it). With the files present they still
/// stop here: the NORB loader and the conv MetaVAE / VHE / NS pipeline are not built.
/// </summary>
public sealed class NorbUnavailable(string row) : IExperiment
{
    public ExperimentResult Run(RunContext context)
    {
        context.Data.Find(SmallNorb.Info);
        throw new ExperimentException(
            $"{row}: data unavailable in this build — small NORB was found, but the engine has no NORB loader or conv MetaVAE/VHE/NS pipeline (spec metavae §4, §5.4, §7) yet.",
            ExitCodes.MissingData);
    }
}
