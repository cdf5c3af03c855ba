using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Engine.Core;
using Engine.Core.Serialization;

namespace Engine.Experiments.Training;

/// <summary>
/// Checkpoints of the loop: one safetensors file holding the model (under its own parameter names,
/// loadable by PyTorch), the optimiser state, the best weights when early stopping, and in the
/// metadata the run's identity (id, preset, seed, settings) and the <see cref="TrainingState"/>.
/// Written atomically (temp file, fsync, rename), so a crash mid-write keeps the previous one.
/// </summary>
public sealed partial class TrainingLoop
{
    private const string RunKey = "engine.run";
    private const string StateKey = "engine.training";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // the best validation starts at ±∞
    };

    private string? _lastSaved;

    /// <summary>Tests only: wraps the stream of every checkpoint write, e.g. to simulate a crash mid-write.</summary>
    internal Func<Stream, Stream>? CheckpointStreamFilter { get; set; }

    private IReadOnlyList<(string Name, Tensor Tensor)> BestTensors() => _best.Select(b => (b.Copy.Name!, b.Copy)).ToArray();

    private string RunIdentity() => new JsonObject
    {
        ["id"] = _context.Id,
        ["preset"] = Presets.Name(_context.Preset),
        ["seed"] = _context.Seed,
        ["config"] = _options.Config is { } config ? JsonSerializer.SerializeToNode(config, config.GetType(), JsonOptions) : null,
    }.ToJsonString();

    private void Save(TrainingState state, double epochSeconds)
    {
        state.EpochSeconds = epochSeconds;
        foreach (var (name, get) in _rngs)
        {
            if (get() is { } rng)
            {
                var start = state.Rngs.GetValueOrDefault(name);
                state.Rngs[name] = new RngState(rng.Seed, rng.Counter, start?.EpochStartSeed ?? rng.Seed, start?.EpochStartCounter ?? rng.Counter);
            }
        }

        var metadata = new Dictionary<string, string>
        {
            [RunKey] = RunIdentity(),
            [StateKey] = JsonSerializer.Serialize(state, JsonOptions),
        };
        AtomicFile.Write(CheckpointPath, stream => Checkpoint.Save(CheckpointStreamFilter?.Invoke(stream) ?? stream, _model, _optimizer, metadata, BestTensors()));
        _lastSaved = state.Finished ? "end of training" : $"epoch {state.Epoch}, step {state.Step}";
        _files.Add(CheckpointFile);
    }

    private TrainingState Restore()
    {
        try
        {
            var (_, metadata) = SafeTensors.Read(CheckpointPath);
            var identity = RunIdentity();
            if (!metadata.TryGetValue(RunKey, out var saved) || saved != identity)
            {
                throw new ExperimentException(
                    $"cannot resume: {CheckpointPath} was written by another run ({Summary(saved)}), not by this one ({Summary(identity)}). "
                    + "Drop --resume to start afresh, or use another --out.", ExitCodes.Usage);
            }

            Checkpoint.Load(CheckpointPath, _model, _optimizer, BestTensors());
            var state = JsonSerializer.Deserialize<TrainingState>(metadata[StateKey], JsonOptions)
                ?? throw new ExperimentException($"cannot resume: {CheckpointPath} has an empty training state.");
            _lastSaved = state.Finished ? "end of training" : $"epoch {state.Epoch}, step {state.Step}";
            return state;
        }
        catch (Exception e) when (e is SafeTensorsFormatException or JsonException or KeyNotFoundException)
        {
            throw new ExperimentException($"cannot resume from {CheckpointPath}: {e.Message}");
        }
    }

    /// <summary>"id vae/mnist/mlp, preset quick, seed 1" (or "different settings" when only the config differs).</summary>
    private string Summary(string? identity)
    {
        try
        {
            if (identity is null || JsonNode.Parse(identity) is not JsonObject run)
            {
                return "no run identity";
            }

            var text = $"id {run["id"]}, preset {run["preset"]}, seed {run["seed"]}";
            return run["id"]?.GetValue<string>() == _context.Id && run["preset"]?.GetValue<string>() == Presets.Name(_context.Preset)
                && run["seed"]?.GetValue<ulong>() == _context.Seed
                ? text + ", different settings"
                : text;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return "unreadable run identity";
        }
    }

    /// <summary>Remembers each tracked generator's position before <c>beginEpoch</c> draws from it.</summary>
    private void CaptureEpochStart(TrainingState state)
    {
        foreach (var (name, get) in _rngs)
        {
            if (get() is { } rng)
            {
                state.Rngs[name] = new RngState(rng.Seed, rng.Counter, rng.Seed, rng.Counter);
            }
            else
            {
                state.Rngs.Remove(name);
            }
        }
    }

    /// <summary>Sets each tracked generator's counter to its saved value (now, or at the epoch start).</summary>
    private void RestoreCounters(TrainingState state, bool epochStart)
    {
        foreach (var (name, get) in _rngs)
        {
            if (!state.Rngs.TryGetValue(name, out var saved) || get() is not { } rng)
            {
                continue; // a per-epoch generator not made yet; beginEpoch makes it
            }

            var (seed, counter) = epochStart ? (saved.EpochStartSeed, saved.EpochStartCounter) : (saved.Seed, saved.Counter);
            if (rng.Seed == seed)
            {
                rng.Counter = counter;
            }
            else if (!epochStart && state.Step > 0)
            {
                throw new ExperimentException(
                    $"cannot resume: generator '{name}' has seed {rng.Seed} after redrawing epoch {state.Epoch}, but the checkpoint saved seed {seed}; the experiment's randomness is not reproducible.");
            }
        }
    }

    /// <summary>The evaluated weights alone, for PyTorch users: <c>safetensors.torch.load_file("model.safetensors")</c>.</summary>
    private void WriteModel(int epoch)
    {
        var tensors = _model.Parameters().Concat(_model.Buffers()).Select((t, i) => (t.Name ?? $"unnamed.{i}", t)).ToArray();
        SafeTensors.Write(Path.Combine(_context.OutDirectory, ModelFile), tensors, new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["engine.id"] = _context.Id,
            ["engine.seed"] = _context.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["engine.epoch"] = epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _files.Add(ModelFile);
    }
}
