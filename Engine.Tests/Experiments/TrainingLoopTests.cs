using Engine.Core;
using Engine.Core.Nn;
using Engine.Core.Optim;
using Engine.Core.Serialization;
using Engine.Experiments;
using Engine.Experiments.Data;
using Engine.Experiments.Training;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class TrainingLoopTests
{
    private const int Epochs = 3;
    private const int Steps = 5;

    /// <summary>w ∈ R⁴ pulled towards noisy targets: every step draws from tracked generators, so resume bugs change the numbers.</summary>
    private sealed class Toy : Module
    {
        public Tensor W { get; } = Parameter.Create("toy.w", new Shape(4), t => t.Fill(0.5));

        protected override IEnumerable<Tensor> OwnParameters() => [W];
    }

    /// <summary>A log that cancels the run (as Ctrl-C would) once the given global step is done.</summary>
    private sealed class CancelAt(long step, CancellationTokenSource source) : ProgressLog(TextWriter.Null)
    {
        public override void Step(TrainingStatus status)
        {
            if (status.GlobalStep == step)
            {
                source.Cancel();
            }
        }
    }

    /// <summary>Lets <paramref name="limit"/> bytes through, then fails like a disk or a process dying mid-write.</summary>
    private sealed class CrashingStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _written;

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Min(buffer.Length, limit - _written);
            inner.Write(buffer[..room]);
            _written += room;
            if (room < buffer.Length)
            {
                throw new IOException("simulated crash mid-write");
            }
        }

        public override void WriteByte(byte value) => Write([value]);

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private sealed record Outcome(float[] Weights, TrainingOutcome Training);

    private static RunContext Context(string folder, ulong seed = 11, bool resume = false, ProgressLog? log = null, CancellationToken cancel = default) =>
        new(seed, Preset.Smoke, new DataDirectory(null, null, [], folder), folder, log ?? new ProgressLog(TextWriter.Null))
        {
            Id = "toy/loop",
            Resume = resume,
            Cancellation = cancel,
        };

    /// <summary>Builds everything from the seed, as a fresh process would, and trains.</summary>
    private static Outcome Train(RunContext context, int patience = 0, Func<int, double>? validation = null, Func<int, int, Toy, Tensor?>? poison = null,
        Action<TrainingLoop>? configure = null, int earlyStoppingAfter = 0)
    {
        var rng = context.CreateRng();
        var model = new Toy();
        var optimizer = new Adam(model.Parameters(), new AdamOptions(LearningRate: 0.05));
        var shuffle = rng.Fork(1);
        var noise = rng.Fork(2);
        var perEpoch = rng.Fork(3);
        var order = Array.Empty<int>();
        Rng? epochNoise = null;
        var loop = new TrainingLoop(context, model, optimizer, new TrainingOptions(Epochs, Steps, 1, patience, "val", Config: new { Lr = 0.05 }, EarlyStoppingAfter: earlyStoppingAfter));
        configure?.Invoke(loop);
        loop.Track("shuffle", shuffle);
        loop.Track("noise", noise);
        loop.Track("epoch noise", () => epochNoise);
        var outcome = loop.Run(
            epoch =>
            {
                order = shuffle.Permutation(Steps);
                epochNoise = perEpoch.Fork((ulong)epoch);
            },
            (epoch, step) =>
            {
                if (poison?.Invoke(epoch, step, model) is { } poisoned)
                {
                    return poisoned;
                }

                var target = Ops.Add(noise.Normal(new Shape(4)), Tensor.Scalar(order[step] + epochNoise!.NextDouble()));
                return Ops.Mean(Ops.Square(Ops.Sub(model.W, target)));
            },
            epoch => validation?.Invoke(epoch) ?? model.W.ToFloatArray().Sum(v => Math.Abs(v - 2.0)));
        return new Outcome(model.W.ToFloatArray(), outcome);
    }

    private static void AssertSameTraining(Outcome resumed, Outcome full)
    {
        Assert.That(resumed.Weights, Is.EqualTo(full.Weights), "final weights bit for bit");
        Assert.That(resumed.Training.History.Select(h => (h.Epoch, h.Step, h.TrainLoss, h.Validation, h.GradNorm)),
            Is.EqualTo(full.Training.History.Select(h => (h.Epoch, h.Step, h.TrainLoss, h.Validation, h.GradNorm))));
        Assert.That((resumed.Training.Epochs, resumed.Training.EvaluatedEpoch, resumed.Training.EvaluatedValidation, resumed.Training.Steps),
            Is.EqualTo((full.Training.Epochs, full.Training.EvaluatedEpoch, full.Training.EvaluatedValidation, full.Training.Steps)));
    }

    [TestCase(7, TestName = "Resume_InterruptedMidEpoch_EndsBitIdenticalToUninterruptedRun")]
    [TestCase(10, TestName = "Resume_InterruptedAtEpochEnd_EndsBitIdenticalToUninterruptedRun")]
    [TestCase(1, TestName = "Resume_InterruptedAfterFirstStep_EndsBitIdenticalToUninterruptedRun")]
    public void Resume_Interrupted_EndsBitIdenticalToUninterruptedRun(int interruptAfter)
    {
        using var temp = new TempDirectory();
        var full = Train(Context(temp.Sub("full")));

        using var cancel = new CancellationTokenSource();
        var folder = temp.Sub("interrupted");
        var e = Assert.Throws<RunInterruptedException>(() => Train(Context(folder, log: new CancelAt(interruptAfter, cancel), cancel: cancel.Token)));
        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.Interrupted));
        Assert.That(e.Message, Does.Contain("--resume").And.Contain(TrainingLoop.CheckpointFile));
        var resumed = Train(Context(folder, resume: true));

        AssertSameTraining(resumed, full);
        Assert.That(resumed.Training.ResumedFrom, Does.Contain($"global step {interruptAfter}"));
        Assert.That(full.Training.ResumedFrom, Is.Null);
    }

    [Test]
    public void Resume_WithEarlyStopping_RestoresTheBestWeightsFromTheCheckpoint()
    {
        // Validation improves until epoch 2, then worsens: patience 1 stops after epoch 3 and evaluates epoch 2.
        double Validation(int epoch) => epoch == 2 ? 1.0 : 2.0 + epoch;
        using var temp = new TempDirectory();
        var full = Train(Context(temp.Sub("full")), patience: 1, validation: Validation);
        Assert.That((full.Training.EvaluatedEpoch, full.Training.Epochs, full.Training.EarlyStopped), Is.EqualTo((2, 3, true)));

        using var cancel = new CancellationTokenSource();
        var folder = temp.Sub("interrupted");
        Assert.Throws<RunInterruptedException>(() => Train(Context(folder, log: new CancelAt(12, cancel), cancel: cancel.Token), patience: 1, validation: Validation));
        var resumed = Train(Context(folder, resume: true), patience: 1, validation: Validation);

        AssertSameTraining(resumed, full);
    }

    [Test]
    public void EarlyStopping_IsNotCheckedUntilAfterEarlyStoppingAfter()
    {
        // Best at epoch 1, worse after: patience 1 alone stops after epoch 2; with checks only after epoch 2 (a KL
        // warm-up) it stops after epoch 3; with checks only after epoch 3 it runs all 3 epochs. The best epoch is kept each time.
        double Validation(int epoch) => epoch == 1 ? 1.0 : 2.0 + epoch;
        using var temp = new TempDirectory();
        var plain = Train(Context(temp.Sub("plain")), patience: 1, validation: Validation);
        Assert.That((plain.Training.Epochs, plain.Training.EvaluatedEpoch, plain.Training.EarlyStopped), Is.EqualTo((2, 1, true)));
        var delayed = Train(Context(temp.Sub("delayed")), patience: 1, validation: Validation, earlyStoppingAfter: 2);
        Assert.That((delayed.Training.Epochs, delayed.Training.EvaluatedEpoch, delayed.Training.EarlyStopped), Is.EqualTo((3, 1, true)));
        var never = Train(Context(temp.Sub("never")), patience: 1, validation: Validation, earlyStoppingAfter: 3);
        Assert.That((never.Training.Epochs, never.Training.EvaluatedEpoch, never.Training.EarlyStopped), Is.EqualTo((3, 1, false)));
    }

    [Test]
    public void Resume_FinishedRun_SkipsTrainingAndGivesTheSameWeights()
    {
        using var temp = new TempDirectory();
        var first = Train(Context(temp.Path));
        var again = Train(Context(temp.Path, resume: true));

        AssertSameTraining(again, first);
    }

    [Test]
    public void Resume_CheckpointOfAnotherSeed_IsRefusedWithOneClearReason()
    {
        using var temp = new TempDirectory();
        Train(Context(temp.Path, seed: 1));

        var e = Assert.Throws<ExperimentException>(() => Train(Context(temp.Path, seed: 2, resume: true)));

        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(e.Message, Does.Contain("another run").And.Contain("seed 1").And.Contain("seed 2"));
    }

    [Test]
    public void Checkpoint_CrashMidWrite_KeepsThePreviousCheckpointAndResumesFromIt()
    {
        using var temp = new TempDirectory();
        var full = Train(Context(temp.Sub("full")));
        var folder = temp.Sub("crash");
        var saves = 0;

        // Epoch 1's checkpoint is written whole; epoch 2's dies after 1,000 bytes.
        var e = Assert.Throws<IOException>(() => Train(Context(folder), configure: loop =>
            loop.CheckpointStreamFilter = stream => ++saves == 2 ? new CrashingStream(stream, 1000) : stream));

        Assert.That(e!.Message, Does.Contain("simulated crash"));
        Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName), Has.None.EndsWith(".tmp"), "no torn temp file left behind");
        var (_, metadata) = SafeTensors.Read(Path.Combine(folder, TrainingLoop.CheckpointFile));
        Assert.That(metadata["engine.training"], Does.Contain("\"epoch\":2,\"step\":0"), "the epoch-1 checkpoint is intact");
        AssertSameTraining(Train(Context(folder, resume: true)), full);
    }

    [Test]
    public void NaNLoss_StopsNamingTheOpAndStep_AndKeepsTheLastGoodCheckpoint()
    {
        using var temp = new TempDirectory();
        var poison = (int epoch, int step, Toy model) =>
            epoch == 2 && step == 2 ? Ops.Sum(Ops.Log(Ops.Sub(model.W, Tensor.Scalar(10)))) : null; // log of a negative number

        var e = Assert.Throws<TrainingDivergedException>(() => Train(Context(temp.Path), poison: poison));

        Assert.That(e!.ExitCode, Is.EqualTo(ExitCodes.Diverged));
        Assert.That(e.Message, Does.Contain("epoch 2, step 3/5 (global step 8)").And.Contain("op 'log'").And.Contain("last good checkpoint").And.Contain("epoch 2, step 0"));
        var checkpoint = SafeTensors.Read(Path.Combine(temp.Path, TrainingLoop.CheckpointFile)).Tensors;
        Assert.That(checkpoint.SelectMany(t => t.Values), Has.All.Matches<double>(double.IsFinite), "no NaN reached the weights on disk");
    }

    [Test]
    public void NaNGradient_WithFiniteLoss_NamesTheBackwardOp()
    {
        using var temp = new TempDirectory();
        var poison = (int epoch, int step, Toy model) =>
            epoch == 1 && step == 0 ? Ops.Sum(Ops.Sqrt(Ops.Mul(model.W, Tensor.Zeros(new Shape(4))))) : null; // d√x/dx at 0 is ∞

        var e = Assert.Throws<TrainingDivergedException>(() => Train(Context(temp.Path), poison: poison));

        Assert.That(e!.Message, Does.Contain("loss 0").And.Contain("backward of op 'sqrt'").And.Contain("No checkpoint had been written yet"));
    }

    [Test]
    public void Run_WritesTrainCsvLearningCurveCheckpointAndPyTorchWeights()
    {
        using var temp = new TempDirectory();
        var outcome = Train(Context(temp.Path));

        var csv = File.ReadAllLines(Path.Combine(temp.Path, LearningCurve.CsvFile));
        Assert.That(csv[0], Is.EqualTo("epoch,step,train_loss,validation,grad_norm,seconds"));
        Assert.That(csv, Has.Length.EqualTo(1 + Epochs));
        Assert.That(csv[^1], Does.StartWith($"{Epochs},{Epochs * Steps},"));
        Assert.That(File.ReadAllText(Path.Combine(temp.Path, LearningCurve.SvgFile)), Does.Contain("data-name=\"train loss\""));
        Assert.That(outcome.Training.Files, Is.SupersetOf(new[] { TrainingLoop.CheckpointFile, TrainingLoop.ModelFile, LearningCurve.CsvFile, LearningCurve.SvgFile }));
        var (tensors, metadata) = SafeTensors.Read(Path.Combine(temp.Path, TrainingLoop.ModelFile));
        Assert.That(tensors.Select(t => (t.Name, t.Shape.ToString())), Is.EqualTo(new[] { ("toy.w", new Shape(4).ToString()) }));
        Assert.That(tensors[0].Values.Select(v => (float)v), Is.EqualTo(outcome.Weights));
        Assert.That(metadata["format"], Is.EqualTo("pt"));
    }
}
