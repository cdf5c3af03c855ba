using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Kernels.OpenCl;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// Leak soak for the OpenCL backend (issue 10: "no leaks over 10k steps"): 10,000 training steps of
/// a small VAE with every buffer allocated and released through tapes; the process's resident
/// memory after warm-up must stay flat. Explicit (about a minute on PoCL):
/// <c>dotnet test Engine.Tests -c Release --filter "FullyQualifiedName~OpenClSoak"</c>.
/// </summary>
// NOTE: on PoCL 3.1 this currently FAILS for OpenCL (≈140 KB/step of resident memory while no new
// device buffer is created; a clFinish per step cuts it to ≈8 KB/step): the growth is in the
// runtime's command bookkeeping, under investigation. The CPU case passes (flat).
[Explicit("soak test: about a minute on PoCL")]
public class OpenClSoakTests
{
    [TestCase("opencl")]
    [TestCase("cpu")]
    public void TenThousandSteps_DoNotGrowMemory(string device)
    {
        Engine.Kernels.IBackend? backend = new Engine.Kernels.Cpu.CpuBackend(2);
        if (device == "opencl")
        {
            if (!OpenClBackend.TryCreate(0, out var cl, out var reason))
            {
                Assert.Ignore($"no OpenCL device: {reason}");
            }

            backend = cl;
        }

        var saved = Device.Default;
        try
        {
            Device.Default = backend!;
            var model = new MlpVae(new MlpVaeConfig(Inputs: 64, Hidden: 32, HiddenLayers: 2, Latents: 8), new Rng(1));
            var optimizer = new Adam(model.Parameters());
            var x = Tensor.PersistentZeros(new Shape(50, 64));
            x.CopyFrom<float>(Enumerable.Range(0, 50 * 64).Select(i => (float)(i % 3 == 0 ? 1 : 0)).ToArray());
            var noise = new Rng(2);
            void Steps(int n)
            {
                for (var i = 0; i < n; i++)
                {
                    using var tape = new Tape();
                    var loss = model.Elbo(x, noise).Loss;
                    optimizer.ZeroGrad();
                    tape.Backward(loss);
                    optimizer.Step();
                }
            }

            Steps(500);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var before = Process.GetCurrentProcess().WorkingSet64;
            var managedBefore = GC.GetTotalMemory(true);
            var created = (backend as OpenClBackend)?.BuffersCreated;
            var clock = Stopwatch.StartNew();
            Steps(10_000);
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var after = Process.GetCurrentProcess().WorkingSet64;
            TestContext.Out.WriteLine($"managed heap {managedBefore / 1e6:F1} MB → {GC.GetTotalMemory(true) / 1e6:F1} MB");
            TestContext.Out.WriteLine($"10,000 steps in {clock.Elapsed.TotalSeconds:F1}s; resident memory {before / 1e6:F1} MB → {after / 1e6:F1} MB; device buffers created {created} → {(backend as OpenClBackend)?.BuffersCreated}");
            // A leak of even one small buffer per step would be ≥ 10,000 × 256 B; allow allocator noise.
            Assert.That(after - before, Is.LessThan(16L << 20));
        }
        finally
        {
            Device.Default = saved;
        }
    }
}
