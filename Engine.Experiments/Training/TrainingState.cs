namespace Engine.Experiments.Training;

/// <summary>
/// The loop's position and bookkeeping, stored as JSON in every checkpoint's metadata: the epoch in
/// progress (1-based) and the steps of it already taken, running sums of the epoch, early-stopping
/// state, the history so far, and every tracked random stream's counter now and at the epoch start.
/// </summary>
internal sealed class TrainingState
{
    public int Epoch { get; set; } = 1;

    public int Step { get; set; }

    public long GlobalStep { get; set; }

    public double LossSum { get; set; }

    public double GradNormSum { get; set; }

    /// <summary>Seconds spent in the current epoch so far (over all resumed parts).</summary>
    public double EpochSeconds { get; set; }

    public double TrainSeconds { get; set; }

    public double BestValidation { get; set; }

    public int BestEpoch { get; set; }

    public bool Finished { get; set; }

    public bool EarlyStopped { get; set; }

    public List<EpochRecord> History { get; set; } = [];

    public Dictionary<string, RngState> Rngs { get; set; } = [];
}

/// <summary>A tracked generator's seed and counter now, and the same at the start of the current epoch (before its data order was drawn).</summary>
internal sealed record RngState(ulong Seed, ulong Counter, ulong EpochStartSeed, ulong EpochStartCounter);
