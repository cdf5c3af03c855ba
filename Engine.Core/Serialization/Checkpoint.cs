using System.Globalization;
using Engine.Core.Nn;
using Engine.Core.Optim;

namespace Engine.Core.Serialization;

/// <summary>
/// A training checkpoint in one safetensors file: the model's parameters and buffers (under their
/// own names, so PyTorch can load them), the optimiser's state tensors, any extra named tensors of
/// the caller (e.g. the best weights so far), and in the metadata the optimiser's step count plus
/// any caller state (epoch, RNG counters…). Written atomically.
/// </summary>
public static class Checkpoint
{
    private const string OptimizerStepsKey = "engine.optimizer_steps";

    public static void Save(
        string path, Module model, Optimizer? optimizer, IReadOnlyDictionary<string, string>? state = null, IReadOnlyList<(string Name, Tensor Tensor)>? extra = null) =>
        AtomicFile.Write(path, stream => Save(stream, model, optimizer, state, extra));

    /// <summary>Writes the checkpoint to a stream (not atomic by itself; the path overload is).</summary>
    public static void Save(
        Stream stream, Module model, Optimizer? optimizer, IReadOnlyDictionary<string, string>? state = null, IReadOnlyList<(string Name, Tensor Tensor)>? extra = null)
    {
        var metadata = new Dictionary<string, string>(state ?? new Dictionary<string, string>());
        if (optimizer is not null)
        {
            metadata[OptimizerStepsKey] = optimizer.StepCount.ToString(CultureInfo.InvariantCulture);
        }

        SafeTensors.Write(stream, Named(model, optimizer, extra), metadata);
    }

    /// <summary>Restores everything <see cref="Save(string, Module, Optimizer?, IReadOnlyDictionary{string, string}?, IReadOnlyList{ValueTuple{string, Tensor}}?)"/> wrote and returns the caller's state.</summary>
    public static IReadOnlyDictionary<string, string> Load(
        string path, Module model, Optimizer? optimizer, IReadOnlyList<(string Name, Tensor Tensor)>? extra = null)
    {
        var metadata = SafeTensors.LoadInto(path, Named(model, optimizer, extra));
        if (optimizer is not null)
        {
            if (!metadata.TryGetValue(OptimizerStepsKey, out var steps))
            {
                throw new SafeTensorsFormatException(path, "has no optimiser step count; it was saved without an optimiser");
            }

            optimizer.RestoreStepCount(long.Parse(steps, CultureInfo.InvariantCulture));
        }

        return metadata;
    }

    private static List<(string, Tensor)> Named(Module model, Optimizer? optimizer, IReadOnlyList<(string Name, Tensor Tensor)>? extra)
    {
        var tensors = new List<(string, Tensor)>();
        var index = 0;
        foreach (var t in model.Parameters().Concat(model.Buffers()).Concat(optimizer?.State() ?? []))
        {
            tensors.Add((t.Name ?? $"unnamed.{index}", t));
            index++;
        }

        tensors.AddRange(extra ?? []);
        return tensors;
    }
}
