using System.Diagnostics;
using Engine.Core;
using Engine.Core.Optim;
using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.OpenCl;
using Engine.Models.Vae;
using NUnit.Framework;

namespace Engine.Tests.Kernels;

/// <summary>
/// Rough wall-clock timings of the OpenCL backend against the CPU backend, for docs/gpu.md. Explicit
/// (run by name only): timings are not assertions, and they depend on whatever else the machine runs.
/// <c>dotnet test Engine.Tests --filter "FullyQualifiedName~OpenClTimingTests" --logger "console;verbosity=detailed"</c>
/// </summary>
[Explicit("timings for docs/gpu.md, not a check")]
public class OpenClTimingTests
{
    private static IEnumerable<IBackend> Backends()
    {
        yield return new CpuBackend();
        if (OpenClBackend.TryCreate(0, out var cl, out var reason))
        {
            yield return cl!;
        }
        else
        {
            TestContext.Out.WriteLine($"no OpenCL device: {reason}");
        }
    }

    [TestCase(1024)]
    [TestCase(256)]
    public void Sgemm(int size)
    {
        foreach (var backend in Backends())
        {
            var a = backend.Allocate(DType.Float32, size * size);
            var b = backend.Allocate(DType.Float32, size * size);
            var c = backend.Allocate(DType.Float32, size * size);
            var av = new BufferView(a, 0, size * size);
            var bv = new BufferView(b, 0, size * size);
            var cv = new BufferView(c, 0, size * size);
            backend.FillUniform(av, 1, 0, -1, 1);
            backend.FillUniform(bv, 2, 0, -1, 1);
            void Run() => backend.Gemm(false, false, size, size, size, 1, av, size, 0, bv, size, 0, 0, cv, size, 0);
            var seconds = Time(Run, backend, repeats: size >= 1024 ? 3 : 20);
            TestContext.Out.WriteLine($"sgemm {size}: {backend.Name,-9} {seconds * 1e3,8:F2} ms  {2.0 * size * size * size / seconds / 1e9,7:F2} GFLOP/s");
            backend.Release(a);
            backend.Release(b);
            backend.Release(c);
        }
    }

    [TestCase(100, 784, 300, 40)]
    [TestCase(50, 64, 32, 8)]
    public void MlpVaeStep(int batch, int inputs, int hidden, int latents)
    {
        foreach (var backend in Backends())
        {
            var saved = Device.Default;
            try
            {
                Device.Default = backend;
                var rng = new Rng(1);
                var model = new MlpVae(new MlpVaeConfig(inputs, hidden, 2, latents), rng.Fork(1));
                var optimizer = new Adam(model.Parameters());
                var x = Tensor.FromArray(Enumerable.Range(0, batch * inputs).Select(i => (i * 7919 % 13) < 5 ? 1f : 0f).ToArray(), batch, inputs);
                var noise = rng.Fork(2);
                void Step()
                {
                    using var tape = new Tape();
                    var terms = model.Elbo(x, noise);
                    optimizer.ZeroGrad();
                    tape.Backward(terms.Loss);
                    optimizer.Step();
                }

                var seconds = Time(Step, backend, repeats: 10);
                TestContext.Out.WriteLine($"MLP VAE {inputs}-{hidden}-{hidden}-{latents} batch {batch} train step: {backend.Name,-9} {seconds * 1e3,8:F2} ms");
            }
            finally
            {
                Device.Default = saved;
            }
        }
    }

    /// <summary>Median seconds per call after two warm-up calls, synchronising after each.</summary>
    private static double Time(Action body, IBackend backend, int repeats)
    {
        body();
        body();
        backend.Synchronize();
        var times = new double[repeats];
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            body();
            backend.Synchronize();
            times[i] = clock.Elapsed.TotalSeconds;
        }

        Array.Sort(times);
        return times[repeats / 2];
    }
}
