using Engine.Benchmarks.Workload;
using Engine.Core;
using Engine.Core.Nn;
using Engine.Core.Optim;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests.Core.Autodiff;

using Ops = Engine.Core.Ops;

/// <summary>
/// A captured step must replay exactly what eager steps compute (same seed and threads: same bits), draw fresh random
/// numbers each replay, keep its buffers from other code, allocate nothing, and refuse steps it could not replay.
/// </summary>
public class CapturedStepTests
{
    private const int Steps = 4;

    [Test]
    public void MlpVae_ReplayedSteps_MatchEagerStepsBitForBit()
    {
        var eager = new Trainer(SmallMlpVae, inputs: 64, batch: 16);
        var captured = new Trainer(SmallMlpVae, inputs: 64, batch: 16);
        AssertSameTraining(eager, captured);
    }

    [Test]
    public void ConvVae_ReplayedSteps_MatchEagerStepsBitForBit()
    {
        var eager = new Trainer(ConvVaeModel, inputs: 784, batch: 4);
        var captured = new Trainer(ConvVaeModel, inputs: 784, batch: 4);
        AssertSameTraining(eager, captured);
    }

    [Test]
    public void ZeroGradBeforeEachReplay_GradientsStillReadAsComputed()
    {
        var eager = new Trainer(SmallMlpVae, inputs: 64, batch: 16, zeroGradOutsideTheStep: true);
        var captured = new Trainer(SmallMlpVae, inputs: 64, batch: 16, zeroGradOutsideTheStep: true);
        AssertSameTraining(eager, captured);
    }

    [Test]
    public void Replay_AdvancesTheGenerator_AsEagerStepsDo()
    {
        var rng = new Rng(5);
        var x = Tensor.PersistentZeros(new Shape(3, 4));
        using var captured = CapturedStep.Record(() => [Ops.Copy(rng.Normal(x.Shape))], rng);
        var first = captured.Outputs[0].ToDoubleArray();
        captured.Replay();
        var second = captured.Outputs[0].ToDoubleArray();

        var reference = new Rng(5);
        Assert.That(first, Is.EqualTo(reference.Normal(x.Shape).ToDoubleArray()));
        Assert.That(second, Is.EqualTo(reference.Normal(x.Shape).ToDoubleArray()), "a replay must draw the next numbers, not repeat the recorded ones");
        Assert.That(rng.Counter, Is.EqualTo(reference.Counter));
    }

    [Test]
    public void Replay_WithAProfile_TimesEveryCallAndComputesTheSame()
    {
        var x = Tensor.PersistentZeros(new Shape(4));
        using var captured = CapturedStep.Record(() => [Ops.Exp(Ops.Mul(x, x))]);
        var profile = captured.CreateProfile();
        Assert.That(profile.Calls, Has.Count.EqualTo(captured.KernelCalls));
        Assert.That(profile.Calls, Has.Some.StartsWith("Unary"), "calls are named by their backend method");

        x.CopyFrom<float>([0f, 1f, 2f, 3f]);
        captured.Replay(profile);
        var profiled = captured.Outputs[0].ToDoubleArray();
        captured.Replay();
        Assert.That(profiled, Is.EqualTo(captured.Outputs[0].ToDoubleArray()), "timing the calls changes nothing they compute");

        captured.Replay(profile);
        Assert.That(profile.Replays, Is.EqualTo(2));
        Assert.That(Enumerable.Range(0, profile.Calls.Count).Select(profile.MeanMilliseconds), Is.All.GreaterThanOrEqualTo(0));
        Assert.That(profile.Format(), Does.Contain("mean over 2 replays").And.Contain($"all {captured.KernelCalls} calls"));
    }

    [Test]
    public void Replay_WithAnotherStepsProfile_Throws()
    {
        var x = Tensor.PersistentZeros(new Shape(4));
        using var one = CapturedStep.Record(() => [Ops.Exp(x)]);
        using var two = CapturedStep.Record(() => [Ops.Exp(Ops.Mul(x, x))]);
        var error = Assert.Throws<ArgumentException>(() => one.Replay(two.CreateProfile()));
        Assert.That(error!.Message, Does.Contain("make it with this step's CreateProfile"));
    }

    [Test]
    public void Replay_NewInputsCopiedIn_AreUsed()
    {
        var x = Tensor.PersistentZeros(new Shape(4));
        using var captured = CapturedStep.Record(() => [Ops.Exp(x)]);
        x.CopyFrom<float>([0f, 1f, 2f, 3f]);
        captured.Replay();
        Assert.That(captured.Outputs[0].ToDoubleArray(), Is.EqualTo(new[] { 1, Math.E, Math.Exp(2), Math.Exp(3) }).Within(1e-6));
    }

    [Test]
    public void BuffersOfTheStep_AreNotHandedToOtherCode_UntilDisposed()
    {
        var x = Tensor.PersistentZeros(new Shape(256));
        x.Fill(1);
        var captured = CapturedStep.Record(() =>
        {
            using var scope = new TensorScope();
            var hidden = Ops.Exp(x); // an intermediate: released by its scope while recording
            return [scope.Keep(Ops.Sum(hidden))];
        });

        using var other = new TensorScope();
        var unrelated = Tensor.Full(new Shape(256), 7); // would reuse the intermediate's buffer if it had gone back to the pool
        captured.Replay();
        Assert.That(unrelated.ToDoubleArray(), Is.All.EqualTo(7.0), "a replay wrote into a buffer another tensor was given");
        Assert.That(captured.Outputs[0].Item(), Is.EqualTo(256 * Math.E).Within(1e-3));

        captured.Dispose();
        Assert.Throws<ObjectDisposedException>(() => captured.Outputs[0].Item());
    }

    [Test]
    public void StepReturningATensorItsTapeReleased_IsRefused()
    {
        var w = Tensor.PersistentZeros(new Shape(3));
        w.RequiresGrad = true;
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() =>
        {
            using var tape = new Tape();
            var loss = Ops.Sum(Ops.Square(w));
            tape.Backward(loss);
            return [loss];
        }));
        Assert.That(error!.Message, Does.Contain("tape.Keep"));
    }

    [Test]
    public void PersistentOutput_IsNotReleasedWithTheStep()
    {
        var state = Tensor.PersistentZeros(new Shape(3));
        var captured = CapturedStep.Record(() =>
        {
            state.Fill(2);
            return [state];
        });
        captured.Replay();
        captured.Dispose();
        Assert.That(state.ToDoubleArray(), Is.All.EqualTo(2.0), "the captured step must release only what it created");
    }

    [Test]
    public void Replay_AllocatesNothing()
    {
        var trainer = new Trainer(SmallMlpVae, inputs: 64, batch: 16);
        trainer.CapturedStep();
        trainer.CapturedStep();
        var before = GC.GetAllocatedBytesForCurrentThread();
        trainer.Replay();
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void StepThatReadsValuesOnTheHost_IsRefused()
    {
        var x = Tensor.PersistentZeros(new Shape(2));
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() =>
        {
            var y = Ops.Exp(x);
            return Ops.Sum(y).Item() > 0 ? [y] : [];
        }));
        Assert.That(error!.Message, Does.Contain("download"));
    }

    [TestCase("vae-mlp-step")]
    [TestCase("vae-vamp-step")]
    [TestCase("vae-conv-step")]
    [TestCase("hypervae-step")]
    [TestCase("iwae50-step")]
    [TestCase("hypernet-step")]
    public void StepWorkload_ReplayedSteps_MatchEagerSteps(string name)
    {
        var eager = WorkloadCatalog.Find(name)!.Create();
        eager.Eager = true;
        var captured = WorkloadCatalog.Find(name)!.Create();
        for (var i = 0; i < 3; i++)
        {
            eager.Run();
            captured.Run();
            Assert.That(captured.LastLoss, Is.EqualTo(eager.LastLoss), $"{name}, step {i}");
        }
    }

    [Test]
    public void StepThatGathersByHostIndices_IsRefused()
    {
        var x = Tensor.PersistentZeros(new Shape(4, 2));
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() => [Ops.IndexSelect(x, 0, [3, 1])]));
        Assert.That(error!.Message, Does.Contain("host indices"));
    }

    [Test]
    public void StepThatUploadsHostData_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() => [Tensor.FromArray([1.0, 2.0], [2])]));
        Assert.That(error!.Message, Does.Contain("upload"));
    }

    [Test]
    public void StepDrawingFromAGeneratorNotPassed_IsRefused()
    {
        var rng = new Rng(9);
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() => [rng.Normal(new Shape(3))]));
        Assert.That(error!.Message, Does.Contain("seed 9"));
    }

    [Test]
    public void OptimiserStepInsideTheStep_IsRefused()
    {
        var w = Tensor.PersistentZeros(new Shape(3));
        w.RequiresGrad = true;
        var adam = new Adam([w]);
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() =>
        {
            using var tape = new Tape();
            var loss = Ops.Sum(Ops.Square(w));
            tape.Backward(loss);
            adam.Step();
            return [tape.Keep(loss)];
        }));
        Assert.That(error!.Message, Does.Contain("optimiser"));
    }

    [Test]
    public void RecordingInsideARecording_IsRefused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CapturedStep.Record(() =>
        {
            using var inner = CapturedStep.Record(() => [Tensor.Zeros(new Shape(1))]);
            return [];
        }));
        Assert.That(error!.Message, Does.Contain("nest"));
    }

    private static (Module, Func<Tensor, Rng, ElboTerms>) SmallMlpVae(Rng rng)
    {
        var model = new MlpVae(new MlpVaeConfig(Inputs: 64, Hidden: 32, Latents: 8), rng);
        return (model, model.Elbo);
    }

    private static (Module, Func<Tensor, Rng, ElboTerms>) ConvVaeModel(Rng rng)
    {
        var model = ConvVae.Create(rng);
        return (model, (x, r) => model.Elbo(x, r));
    }

    private static void AssertSameTraining(Trainer eager, Trainer captured)
    {
        for (var i = 0; i < Steps; i++)
        {
            Assert.That(captured.CapturedStep(), Is.EqualTo(eager.EagerStep()), $"loss of step {i}");
        }

        for (var p = 0; p < eager.Parameters.Length; p++)
        {
            Assert.That(captured.Parameters[p].ToDoubleArray(), Is.EqualTo(eager.Parameters[p].ToDoubleArray()), eager.Parameters[p].Name);
        }
    }

    /// <summary>A model trained with Adam on fixed random binary data, eagerly or through one captured step.</summary>
    private sealed class Trainer
    {
        private readonly Func<Tensor, Rng, ElboTerms> _elbo;
        private readonly Adam _optimizer;
        private readonly Tensor _x;
        private readonly Rng _noise;
        private readonly Rng[] _rngs;
        private readonly Func<Tensor[]> _step;
        private readonly bool _zeroGradOutsideTheStep;
        private CapturedStep? _captured;

        public Trainer(Func<Rng, (Module Model, Func<Tensor, Rng, ElboTerms> Elbo)> build, int inputs, int batch, bool zeroGradOutsideTheStep = false)
        {
            _zeroGradOutsideTheStep = zeroGradOutsideTheStep;
            var rng = new Rng(11);
            var (model, elbo) = build(rng.Fork(1));
            _elbo = elbo;
            Parameters = model.Parameters().ToArray();
            _optimizer = new Adam(Parameters);
            var data = new float[batch * inputs];
            var pick = rng.Fork(2);
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = pick.NextDouble() < 0.5 ? 1f : 0f;
            }

            _x = Tensor.PersistentZeros(new Shape(batch, inputs));
            _x.CopyFrom<float>(data);
            _noise = rng.Fork(3);
            _rngs = [_noise];
            _step = Step;
        }

        public Tensor[] Parameters { get; }

        public double EagerStep()
        {
            ZeroGradOutside();
            using var scope = new TensorScope();
            var loss = Step()[0].Item();
            _optimizer.Step();
            return loss;
        }

        public void Replay() => _captured!.Replay();

        public double CapturedStep()
        {
            ZeroGradOutside();
            if (_captured is null)
            {
                _captured = Engine.Core.CapturedStep.Record(_step, _rngs);
            }
            else
            {
                _captured.Replay();
            }

            _optimizer.Step();
            return _captured.Outputs[0].Item();
        }

        private void ZeroGradOutside()
        {
            if (_zeroGradOutsideTheStep)
            {
                _optimizer.ZeroGrad(); // pending zeros the replay must clear again, or Adam would read them
            }
        }

        private Tensor[] Step()
        {
            using var tape = new Tape();
            var loss = _elbo(_x, _noise).Loss;
            if (!_zeroGradOutsideTheStep)
            {
                _optimizer.ZeroGrad();
            }

            tape.Backward(loss);
            return [tape.Keep(loss)];
        }
    }
}
