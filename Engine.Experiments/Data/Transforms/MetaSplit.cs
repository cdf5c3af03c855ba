namespace Engine.Experiments.Data.Transforms;

/// <summary>
/// Which transformation values are seen in meta-training and which are held out (metavae.md §6;
/// the MI repo's DEFAULT_/UNSEEN_ *_DICT): interleaved = "standard", every other value from the
/// first; sparse = a few spread-out values; contiguous = "disjoint", the first half including the
/// middle value.
/// </summary>
public enum MetaSplit
{
    Interleaved,
    Sparse,
    Contiguous,
}
