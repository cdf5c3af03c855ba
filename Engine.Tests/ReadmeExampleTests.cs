using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests;

/// <summary>The README's examples, verbatim, so they keep compiling and stay right.</summary>
public class ReadmeExampleTests
{
    [Test]
    public void ReadmeExample_GivesTheDocumentedValues()
    {
        // --- README example start ---
        using var tape = new Tape();                       // records ops; frees their buffers at the end
        var x = Tensor.FromArray([1f, 2f, 3f], 3);
        var w = Tensor.FromArray([0.5f, -1f, 2f], 3);
        x.RequiresGrad = true;
        w.RequiresGrad = true;
        var y = Ops.Sum(Ops.Mul(w, Ops.Square(x)));        // y = Σ w·x² = 0.5 − 4 + 18
        tape.Backward(y);
        Console.WriteLine(y.Item());                       // 14.5
        Console.WriteLine(string.Join(" ", x.Grad!.ToFloatArray())); // dy/dx = 2·w·x = 1 -4 12
        Console.WriteLine(string.Join(" ", w.Grad!.ToFloatArray())); // dy/dw = x² = 1 4 9
        // --- README example end ---

        Assert.That(y.Item(), Is.EqualTo(14.5));
        Assert.That(x.Grad.ToFloatArray(), Is.EqualTo(new[] { 1f, -4f, 12f }));
        Assert.That(w.Grad.ToFloatArray(), Is.EqualTo(new[] { 1f, 4f, 9f }));
    }

    [Test]
    public void ReadmeCapturedStepExample_Trains()
    {
        var rng = new Rng(3);
        var model = new MlpVae(new MlpVaeConfig(), rng.Fork(1));
        var optimizer = new Adam(model.Parameters());
        var noise = rng.Fork(2);
        var data = rng.Fork(4);
        const int steps = 3;
        float[] NextBatch() => [.. Enumerable.Range(0, 100 * 784).Select(_ => data.NextDouble() < 0.5 ? 1f : 0f)];
        var losses = new List<double>();

        // --- README captured-step example start ---
        var x = Tensor.PersistentZeros(new Shape(100, 784));        // inputs live in tensors made before recording
        using var step = CapturedStep.Record(() =>
        {
            using var tape = new Tape();
            var loss = model.Elbo(x, noise).Loss;
            optimizer.ZeroGrad();
            tape.Backward(loss);
            return [tape.Keep(loss)];
        }, noise);                                                  // every Rng the step draws from
        for (var i = 0; i < steps; i++)
        {
            x.CopyFrom<float>(NextBatch());
            step.Replay();                                          // fresh noise, same buffers, same bits as an eager step
            optimizer.Step();                                       // outside: its bias corrections change every step
            var loss = step.Outputs[0].Item();
            // --- README captured-step example end ---
            losses.Add(loss);
        }

        Assert.That(losses, Is.All.Matches<double>(double.IsFinite));
        Assert.That(losses[^1], Is.LessThan(losses[0]), string.Join(", ", losses));
    }
}
