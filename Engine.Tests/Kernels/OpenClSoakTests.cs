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
// History: before the queue throttle (OpenClBackend.Throttle.cs) this failed on PoCL 3.1 with
// 241 MB → 1.64 GB: not a leak but ≈1.2 GB of queued, not yet executed commands (a clFinish gave
// the memory back); the host ran thousands of steps ahead of the device.
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
            var resident = new long[8];
            for (var round = 0; round < 8; round++)
            {
                // No Synchronize here: a user's loop that never reads a value back must stay bounded too.
                Steps(1_250);
                resident[round] = Process.GetCurrentProcess().WorkingSet64;
                TestContext.Out.WriteLine($"after {(round + 1) * 1_250} steps: resident {resident[round] / 1e6:F1} MB");
            }
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var after = Process.GetCurrentProcess().WorkingSet64;
            TestContext.Out.WriteLine($"managed heap {managedBefore / 1e6:F1} MB → {GC.GetTotalMemory(true) / 1e6:F1} MB");
            TestContext.Out.WriteLine($"10,000 steps in {clock.Elapsed.TotalSeconds:F1}s; resident memory {before / 1e6:F1} MB → {after / 1e6:F1} MB; device buffers created {created} → {(backend as OpenClBackend)?.BuffersCreated}");
            // A leak grows linearly; the native heap (PoCL's command records, glibc arenas) instead climbs
            // to a high-water mark and stays there: measured on PoCL 3.1, 189 → 262 MB over the first
            // 5,000 steps, then 262.0 → 262.3 MB over the next 5,000 (the CPU backend: 263 → 272 → 272).
            // So the check is the steady state: over steps 5,000–10,000 a leak of one 256-byte object a
            // step would add 1.3 MB; allow 2 MB (< 400 B/step) for allocator noise.
            Assert.That(resident[^1] - resident[3], Is.LessThan(2L << 20), "resident memory still grows after 5,000 steps");
            Assert.That(after - before, Is.LessThan(128L << 20), "high-water mark of the native heap");
        }
        finally
        {
            Device.Default = saved;
        }
    }
}
