namespace Engine.Experiments.Data;

/// <summary>
/// Small NORB (LeCun et al. 2004), needed by the MetaVAE NORB rows (spec metavae §7). This
/// workplace has no copy (shared/datasets/MANIFEST.md §8: no public downsampled copy under the
/// snapshot size limit was found), so the rows that need it stop with "data unavailable" before
/// training. The engine has no NORB loader yet either: with the files present the rows still stop,
/// saying so.
/// </summary>
public static class SmallNorb
{
    public static DatasetInfo Info { get; } = new(
        "smallnorb",
        [
            ["smallnorb-5x46789x9x18x6x2x96x96-training-dat.mat", "smallnorb-5x46789x9x18x6x2x96x96-training-dat.mat.gz"],
            ["smallnorb-5x46789x9x18x6x2x96x96-training-cat.mat", "smallnorb-5x46789x9x18x6x2x96x96-training-cat.mat.gz"],
            ["smallnorb-5x46789x9x18x6x2x96x96-training-info.mat", "smallnorb-5x46789x9x18x6x2x96x96-training-info.mat.gz"],
            ["smallnorb-5x01235x9x18x6x2x96x96-testing-dat.mat", "smallnorb-5x01235x9x18x6x2x96x96-testing-dat.mat.gz"],
            ["smallnorb-5x01235x9x18x6x2x96x96-testing-cat.mat", "smallnorb-5x01235x9x18x6x2x96x96-testing-cat.mat.gz"],
            ["smallnorb-5x01235x9x18x6x2x96x96-testing-info.mat", "smallnorb-5x01235x9x18x6x2x96x96-testing-info.mat.gz"],
        ],
        "data unavailable: this workplace has no copy of small NORB (shared/datasets/MANIFEST.md §8). Download the six files from "
        + "https://cs.nyu.edu/~ylclab/data/norb-v1.0-small/ into a folder named smallnorb; note that the engine has no NORB loader "
        + "or conv MetaVAE pipeline for these rows yet (spec metavae §4, §5.4, §7).");
}
