using Engine.Core;
using Engine.Core.Optim;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests.Models;

/// <summary>
/// A warm conv VAE training step (forward, tape backward, Adam) reuses its element buffers and kernel
/// scratch: what it still allocates is bookkeeping (tensor headers, tape nodes and their closures).
/// </summary>
public class ConvVaeAllocationTests
{
    /// <summary>Bytes a warm step may allocate, on every thread: measured 27 KB here (ops × tensor header, tape node, closure), no element buffers (one [16, 32, 14, 14] activation alone is 400 KB).</summary>
    private const long BytesPerStep = 32 * 1024;

    [Test]
    public void WarmTrainingStep_AllocatesOnlyBookkeeping()
    {
        var rng = new Rng(5);
        var model = ConvVae.Create(rng.Fork(1));
        var optimizer = new Adam(model.Parameters());
        var x = Tensor.PersistentZeros(new Shape(16, 784));
        x.CopyFrom<float>([.. Enumerable.Range(0, 16 * 784).Select(i => (float)(i * 7 % 3 == 0 ? 1 : 0))]);
        var noise = rng.Fork(3);
        void Step()
        {
            using var tape = new Tape();
            var loss = model.Elbo(x, noise).Loss;
            optimizer.ZeroGrad();
            tape.Backward(loss);
            optimizer.Step();
            Assert.That(double.IsFinite(loss.Item()), "loss");
        }

        for (var i = 0; i < 3; i++)
        {
            Step();
        }

        const int steps = 20;
        var before = GC.GetTotalAllocatedBytes(precise: true); // all threads: the pool workers run kernel chunks too
        for (var i = 0; i < steps; i++)
        {
            Step();
        }

        var perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / steps;
        TestContext.Out.WriteLine($"{perStep} bytes per warm step");
        Assert.That(perStep, Is.LessThan(BytesPerStep), $"{perStep} bytes allocated per warm step");
    }
}
