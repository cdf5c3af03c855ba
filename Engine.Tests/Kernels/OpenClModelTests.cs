using Engine.Core;
using Engine.Core.Optim;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.OpenCl;
using Engine.Models.Vae;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// Whole-engine checks on the OpenCL backend: Engine.Core ops gradient-checked in float64 with
/// the OpenCL backend as <see cref="Device.Default"/>, and an MLP VAE trained for 50 steps on
/// OpenCL and on the CPU from the same seed. Skipped when no OpenCL device is found.
/// </summary>
public class OpenClModelTests
{
    private OpenClBackend _cl = null!;

    [OneTimeSetUp]
    public void FindDevice()
    {
        if (OpenClDevices.Enumerate(out var reason).Count == 0)
        {
            Assert.Ignore($"no OpenCL device: {reason}");
        }

        Assert.That(OpenClBackend.TryCreate(0, out var backend, out reason), Is.True, reason);
        _cl = backend!;
    }

    /// <summary>Runs <paramref name="body"/> with the OpenCL backend as the default, restoring the previous default after.</summary>
    private void OnOpenCl(Action body)
    {
        var saved = Device.Default;
        try
        {
            Device.Default = _cl;
            body();
        }
        finally
        {
            Device.Default = saved;
        }
    }

    private static Tensor OnDevice(Tensor t)
    {
        Assert.That(t.Backend, Is.InstanceOf<OpenClBackend>(), "the input should live on the OpenCL backend");
        return t;
    }

    [TestCase(Activation.Relu)]
    [TestCase(Activation.Sigmoid)]
    public void GradCheck_Linear_OnOpenCl(Activation activation) => OnOpenCl(() =>
        GradCheck.Check(x => Engine.Core.Ops.Linear(x[0], x[1], x[2], activation), OnDevice(Seeds.Randn(300, [5, 7])), Seeds.Randn(301, [3, 7]), Seeds.Randn(302, [3])));

    [Test]
    public void GradCheck_Conv2d_Stride2Pad1_OnOpenCl() => OnOpenCl(() =>
        GradCheck.Check(t => Engine.Core.Ops.Conv2d(t[0], t[1], t[2], 2, 1), OnDevice(Seeds.Randn(310, [2, 3, 7, 5])), Seeds.Randn(311, [4, 3, 3, 3]), Seeds.Randn(312, [4])));

    [Test]
    public void GradCheck_ConvTranspose2d_OnOpenCl() => OnOpenCl(() =>
        GradCheck.Check(t => Engine.Core.Ops.ConvTranspose2d(t[0], t[1], t[2], 2, 1, 1), OnDevice(Seeds.Randn(315, [2, 3, 4, 3])), Seeds.Randn(316, [3, 2, 3, 3]), Seeds.Randn(317, [2])));

    [TestCase(0)]
    [TestCase(1)]
    public void GradCheck_LogSumExp_OnOpenCl(int axis) => OnOpenCl(() =>
        GradCheck.Check(x => Engine.Core.Ops.LogSumExp(x[0], axis), OnDevice(Seeds.Randn(320, [3, 4, 5], 3))));

    [Test]
    public void GradCheck_MaxPoolAndIndexSelect_OnOpenCl() => OnOpenCl(() =>
        GradCheck.Check(x => Engine.Core.Ops.IndexSelect(Engine.Core.Ops.MaxPool2x2(x[0]), 1, [2, 0, 2]), OnDevice(Seeds.Randn(330, [2, 3, 4, 6]))));

    [Test]
    public void GradCheck_BernoulliLikelihoodOfReparameterizedSample_OnOpenCl() => OnOpenCl(() =>
    {
        var targets = Seeds.Uniform(340, [4, 6], 0, 1, requiresGrad: false);
        GradCheck.Check(
            t => Engine.Core.Ops.BernoulliLogLikelihood(Engine.Core.Ops.Reparameterize(t[0], t[1], t[2]), targets),
            OnDevice(Seeds.Randn(341, [4, 6])), Seeds.Randn(342, [4, 6], 0.5), Seeds.Randn(343, [4, 6], requiresGrad: false));
    });

    /// <summary>
    /// Trains the MLP VAE of MlpVaeTests (64-32-32-8, batch 50, Adam) for <paramref name="steps"/> steps
    /// on <paramref name="backend"/> and returns the loss of every step.
    /// </summary>
    private static double[] TrainLosses(IBackend backend, int steps)
    {
        var saved = Device.Default;
        try
        {
            Device.Default = backend;
            var rng = new Rng(5);
            var model = new MlpVae(new MlpVaeConfig(Inputs: 64, Hidden: 32, HiddenLayers: 2, Latents: 8), rng.Fork(1));
            var optimizer = new Adam(model.Parameters());
            var prototypes = new Rng(99).Uniform(new Shape(4, 64)).ToFloatArray();
            var x = Tensor.FromArray(Enumerable.Range(0, 50 * 64).Select(i => prototypes[(i / 64 % 4) * 64 + i % 64] > 0.5f ? 1f : 0f).ToArray(), 50, 64);
            var noise = rng.Fork(2);
            var losses = new double[steps];
            for (var step = 0; step < steps; step++)
            {
                using var tape = new Tape();
                var terms = model.Elbo(x, noise);
                optimizer.ZeroGrad();
                tape.Backward(terms.Loss);
                optimizer.Step();
                losses[step] = terms.Loss.Item();
            }

            return losses;
        }
        finally
        {
            Device.Default = saved;
        }
    }

    /// <summary>
    /// Same seed, same model, 50 Adam steps: the float32 losses agree to a relative 1e-5 at every
    /// step. Initialisation and noise are bitwise equal (same Philox streams), GEMM and the
    /// elementwise kernels agree to the last bit on PoCL, and the rest differ by summation order
    /// (row reductions: the loss mean, bias gradients) at ~1e-7 relative per op. Observed on PoCL:
    /// 1.8e-7 at worst over the 50 steps (written to the test output), so 1e-5 leaves a 50× margin
    /// for devices whose exp/log round differently, while a real kernel bug (an off-by-one, a wrong
    /// transpose) moves the loss by far more.
    /// </summary>
    [Test]
    public void MlpVae_50Steps_SameLossesAsCpu()
    {
        var cpu = TrainLosses(new CpuBackend(), 50);
        var cl = TrainLosses(_cl, 50);
        var worst = cpu.Zip(cl, (c, o) => Math.Abs(c - o) / Math.Abs(c)).Max();
        TestContext.Out.WriteLine($"first losses cpu {cpu[0]:R} / opencl {cl[0]:R}; last cpu {cpu[^1]:R} / opencl {cl[^1]:R}; max relative difference {worst:E2}");
        for (var step = 0; step < cpu.Length; step++)
        {
            Assert.That(Math.Abs(cl[step] - cpu[step]), Is.LessThanOrEqualTo(1e-5 * Math.Abs(cpu[step])), $"step {step}: cpu {cpu[step]:R}, opencl {cl[step]:R}");
        }

        Assert.That(cl.Skip(45).Average(), Is.LessThan(cl.Take(5).Average() - 5), "the OpenCL run learns");
    }

    /// <summary>
    /// The queue throttle bounds work in flight: 5,000 asynchronous fills never leave more than four
    /// marker batches outstanding, the result is the last fill, and Synchronize releases every marker.
    /// </summary>
    [Test]
    public void QueueThrottle_BoundsCommandsInFlight()
    {
        var buffer = _cl.Allocate(DType.Float32, 16);
        try
        {
            var view = new BufferView(buffer, 0, 16);
            for (var i = 0; i < 5_000; i++)
            {
                _cl.Fill(view, i);
                Assert.That(_cl.MarkersOutstanding, Is.LessThanOrEqualTo(4));
            }

            Assert.That(_cl.MarkersOutstanding, Is.GreaterThan(0), "5,000 commands should have queued markers");
            var values = new float[16];
            _cl.Download<float>(view, values);
            Assert.That(values, Is.All.EqualTo(4_999f));
            _cl.Synchronize();
            Assert.That(_cl.MarkersOutstanding, Is.EqualTo(0));
        }
        finally
        {
            _cl.Release(buffer);
        }
    }
}
