using System.Diagnostics;
using Engine.Core;
using Engine.Core.Nn;
using Engine.Core.Optim;

namespace Engine.Experiments.Training;

/// <summary>
/// The training loop every experiment shares. The experiment supplies three callbacks: one that
/// draws an epoch's data order, one that returns a step's scalar loss (run inside a fresh
/// <see cref="Tape"/>), and one that scores the validation set; the loop does the rest:
/// backward and optimiser step, a NaN/∞ check on loss and gradient norm before every update,
/// progress, train.csv and its SVG curve, early stopping, checkpoints (every
/// <see cref="RunContext.CheckpointInterval"/> and at every epoch end), resume, and a checkpoint on
/// Ctrl-C. Randomness the callbacks use must come from generators registered with
/// <see cref="Track(string, Rng)"/>, so that a resumed run continues every stream exactly where
/// the checkpoint left it and ends bit-identical to an uninterrupted run.
/// </summary>
public sealed partial class TrainingLoop
{
    public const string CheckpointFile = "checkpoint.safetensors";
    public const string ModelFile = "model.safetensors";

    private readonly RunContext _context;
    private readonly Module _model;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;
    private readonly List<(string Name, Func<Rng?> Get)> _rngs = [];
    private readonly (Tensor Live, Tensor Copy)[] _best;
    private readonly List<string> _files = [];

    public TrainingLoop(RunContext context, Module model, Optimizer optimizer, TrainingOptions options)
    {
        if (options.Epochs < 0 || options.StepsPerEpoch <= 0 || options.ItemsPerStep <= 0 || options.Patience < 0)
        {
            throw new ArgumentException($"TrainingLoop: bad schedule {options}.");
        }

        _context = context;
        _model = model;
        _optimizer = optimizer;
        _options = options;
        // Early stopping evaluates the best epoch's weights, so they travel in every checkpoint.
        _best = options.Patience == 0 ? [] : model.Parameters().Concat(model.Buffers())
            .Select((t, i) => (t, Named(Tensor.PersistentZeros(t.Shape, t.DType, t.Backend), "best." + (t.Name ?? $"unnamed.{i}"))))
            .ToArray();
    }

    public string CheckpointPath => Path.Combine(_context.OutDirectory, CheckpointFile);

    /// <summary>Registers a generator whose counter is saved in checkpoints and restored on resume.</summary>
    public void Track(string name, Rng rng) => Track(name, () => rng);

    /// <summary>
    /// Registers a generator the epoch callback replaces (e.g. a per-epoch fork); <paramref name="current"/>
    /// returns the instance in use, or null before the first epoch made one.
    /// </summary>
    public void Track(string name, Func<Rng?> current)
    {
        if (_rngs.Any(r => r.Name == name))
        {
            throw new ArgumentException($"TrainingLoop: a generator named '{name}' is already tracked.");
        }

        _rngs.Add((name, current));
    }

    /// <param name="beginEpoch">Called with the 1-based epoch before its first step: draw the data order, fork per-epoch generators.</param>
    /// <param name="loss">Called with (epoch, step) inside a recording tape; returns the scalar loss to minimise.</param>
    /// <param name="validate">Called with the epoch after its last step, outside any tape; returns the validation metric.</param>
    public TrainingOutcome Run(Action<int> beginEpoch, Func<int, int, Tensor> loss, Func<int, double> validate)
    {
        var state = NewState();
        string? resumedFrom = null;
        if (_context.Resume && File.Exists(CheckpointPath))
        {
            state = Restore();
            resumedFrom = $"epoch {state.Epoch}, step {state.Step} (global step {state.GlobalStep})";
            _context.Log.Line(state.Finished
                ? $"resume: {CheckpointPath} holds a finished training ({state.History.Count} epochs); evaluating it"
                : $"resume: continuing from {CheckpointPath} at {resumedFrom}");
        }
        else if (_context.Resume)
        {
            _context.Log.Line($"resume: no checkpoint in {_context.OutDirectory}; starting from scratch");
        }
        else if (File.Exists(CheckpointPath))
        {
            _context.Log.Line($"note: {CheckpointPath} from an earlier run will be overwritten (pass --resume to continue that run instead)");
        }

        var total = (long)_options.Epochs * _options.StepsPerEpoch;
        if (!state.Finished)
        {
            _context.Log.Training(_context.Id, total, state.GlobalStep, () =>
            {
                Train(state, beginEpoch, loss, validate);
                return 0;
            });
        }

        var evaluatedEpoch = state.History.Count == 0 ? 0 : state.History[^1].Epoch;
        var evaluatedValidation = state.History.Count == 0 ? double.NaN : state.History[^1].Validation;
        if (_options.Patience > 0 && state.BestEpoch > 0)
        {
            foreach (var (live, copy) in _best)
            {
                live.CopyFrom(copy);
            }

            (evaluatedEpoch, evaluatedValidation) = (state.BestEpoch, state.BestValidation);
        }

        WriteModel(evaluatedEpoch);
        return new TrainingOutcome(state.History.Count, evaluatedEpoch, evaluatedValidation, state.GlobalStep, state.TrainSeconds,
            state.EarlyStopped, state.History.ToArray(), resumedFrom, _files.Distinct().ToArray());
    }

    private TrainingState NewState() => new() { BestValidation = _options.HigherIsBetter ? double.NegativeInfinity : double.PositiveInfinity };

    private void Train(TrainingState state, Action<int> beginEpoch, Func<int, int, Tensor> loss, Func<int, double> validate)
    {
        var steps = _options.StepsPerEpoch;
        var sinceCheckpoint = Stopwatch.StartNew();
        var wall = Stopwatch.StartNew();
        var stepsAtStart = state.GlobalStep;
        if (state.Step > 0)
        {
            // Mid-epoch resume: redraw this epoch's data order from the epoch-start counters, then
            // put every stream back where the checkpoint left it.
            RestoreCounters(state, epochStart: true);
            beginEpoch(state.Epoch);
            RestoreCounters(state, epochStart: false);
        }
        else
        {
            RestoreCounters(state, epochStart: false);
        }

        while (state.Epoch <= _options.Epochs)
        {
            var epochClock = Stopwatch.StartNew();
            var secondsBefore = state.EpochSeconds;
            double EpochSeconds() => secondsBefore + epochClock.Elapsed.TotalSeconds;
            if (state.Step == 0)
            {
                StopIfCancelled(state, EpochSeconds());
                CaptureEpochStart(state);
                beginEpoch(state.Epoch);
                (state.LossSum, state.GradNormSum) = (0, 0);
            }

            var stepsBefore = state.Step;
            while (state.Step < steps)
            {
                if (state.Step > stepsBefore)
                {
                    StopIfCancelled(state, EpochSeconds());
                }

                var (value, norm) = RunStep(state, loss);
                state.LossSum += value;
                state.GradNormSum += norm;
                state.Step++;
                state.GlobalStep++;
                ReportStep(state, wall.Elapsed.TotalSeconds, state.GlobalStep - stepsAtStart, epochClock.Elapsed.TotalSeconds, state.Step - stepsBefore);
                if (state.Step < steps && _context.CheckpointInterval > TimeSpan.Zero && sinceCheckpoint.Elapsed >= _context.CheckpointInterval)
                {
                    Save(state, EpochSeconds());
                    sinceCheckpoint.Restart();
                }
            }

            EndEpoch(state, validate(state.Epoch), EpochSeconds());
            sinceCheckpoint.Restart();
            if (state.Finished)
            {
                return;
            }
        }
    }

    private (double Loss, double GradNorm) RunStep(TrainingState state, Func<int, int, Tensor> loss)
    {
        using var tape = new Tape();
        var value = loss(state.Epoch, state.Step);
        _optimizer.ZeroGrad();
        tape.Backward(value);
        var scalar = value.Item();
        var norm = _optimizer.ClipGradNorm(_options.MaxGradNorm);
        if (!double.IsFinite(scalar) || !double.IsFinite(norm))
        {
            var where = tape.DescribeFirstNonFinite() ?? DescribeGradients();
            throw new TrainingDivergedException(
                $"{_context.Id}: training diverged at epoch {state.Epoch}, step {state.Step + 1}/{_options.StepsPerEpoch} (global step {state.GlobalStep + 1}): "
                + $"loss {scalar}, gradient norm {norm}; {where}. {LastGoodCheckpoint()}");
        }

        _optimizer.Step();
        return (scalar, norm);
    }

    private string DescribeGradients()
    {
        var bad = _optimizer.Parameters.Where(p => !p.Backend.AllFinite(p.Grad!.View)).Select(p => p.Name ?? p.Shape.ToString()).ToArray();
        return bad.Length > 0 ? $"non-finite gradient in {string.Join(", ", bad.Take(5))}" : "the gradient norm overflowed";
    }

    private string LastGoodCheckpoint() =>
        _lastSaved is { } saved
            ? $"The last good checkpoint, {CheckpointPath} ({saved}), was kept."
            : $"No checkpoint had been written yet{(File.Exists(CheckpointPath) ? $"; {CheckpointPath} is from an earlier run" : "")}.";

    private void StopIfCancelled(TrainingState state, double epochSeconds)
    {
        if (!_context.Cancellation.IsCancellationRequested)
        {
            return;
        }

        Save(state, epochSeconds);
        throw new RunInterruptedException(
            $"{_context.Id}: interrupted at epoch {state.Epoch}, step {state.Step}/{_options.StepsPerEpoch}; checkpoint written to {CheckpointPath}. "
            + "Rerun the same command with --resume to continue.");
    }

    private void ReportStep(TrainingState state, double wallSeconds, long stepsHere, double epochSecondsHere, int epochStepsHere)
    {
        var total = (long)_options.Epochs * _options.StepsPerEpoch;
        _context.Log.Step(new TrainingStatus(
            state.Epoch, _options.Epochs, state.Step, _options.StepsPerEpoch, state.GlobalStep, total,
            state.LossSum / state.Step, state.History.Count > 0 ? state.History[^1].Validation : null, _options.ValidationName,
            epochStepsHere * (double)_options.ItemsPerStep / Math.Max(1e-9, epochSecondsHere), _options.ItemName,
            (total - state.GlobalStep) * wallSeconds / Math.Max(1, stepsHere)));
    }

    private void EndEpoch(TrainingState state, double validation, double epochSeconds)
    {
        var epoch = state.Epoch;
        var steps = _options.StepsPerEpoch;
        var record = new EpochRecord(epoch, state.GlobalStep, state.LossSum / steps, validation, state.GradNormSum / steps, epochSeconds);
        state.History.Add(record);
        state.TrainSeconds += epochSeconds;
        var improved = _options.HigherIsBetter ? validation > state.BestValidation : validation < state.BestValidation;
        if (improved)
        {
            (state.BestValidation, state.BestEpoch) = (validation, epoch);
            foreach (var (live, copy) in _best)
            {
                copy.CopyFrom(live);
            }
        }

        var stop = _options.Patience > 0 && epoch > _options.EarlyStoppingAfter && epoch - state.BestEpoch >= _options.Patience;
        state.Epoch++;
        (state.Step, state.LossSum, state.GradNormSum, state.EpochSeconds) = (0, 0, 0, 0);
        state.Finished = stop || state.Epoch > _options.Epochs;
        state.EarlyStopped = stop;
        Save(state, 0);
        LearningCurve.Write(_context.OutDirectory, state.History, _options.ValidationName);
        _files.AddRange([LearningCurve.CsvFile, LearningCurve.SvgFile]);

        var meanEpoch = state.History.Average(h => h.Seconds);
        _context.Log.Epoch(record, _options.Epochs, _options.ValidationName, steps * (double)_options.ItemsPerStep / Math.Max(1e-9, epochSeconds),
            _options.ItemName, (_options.Epochs - epoch) * meanEpoch, improved ? "*" : null);
        if (stop)
        {
            _context.Log.Line($"early stop: no better {_options.ValidationName} for {_options.Patience} epochs; keeping epoch {state.BestEpoch} ({state.BestValidation:F2})");
        }
    }

    private static Tensor Named(Tensor t, string name)
    {
        t.Name = name;
        return t;
    }
}
