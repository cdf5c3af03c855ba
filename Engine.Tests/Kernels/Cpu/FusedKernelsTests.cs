using Engine.Kernels;
using Engine.Kernels.Cpu;
using Engine.Kernels.Reference;
using NUnit.Framework;

namespace Engine.Tests.Kernels.Cpu;

/// <summary>
/// The CPU fused kernels against <see cref="ReferenceFused"/>: row lengths 0 … 3W + 1 for the
/// row-wise kernels (so every vector remainder runs inside each row), misaligned views, and one batch
/// large enough to be split across two threads.
/// </summary>
[TestFixture(typeof(float))]
[TestFixture(typeof(double))]
public class FusedKernelsTests<T> : CpuKernelFixture<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    public static IEnumerable<(int Rows, int Cols, int XRows)> BernoulliShapes =>
        KernelBench<T>.AllLengths.Select(cols => (3, cols, 3))
            .Concat(KernelBench<T>.AllLengths.Select(cols => (4, cols, 1)))
            .Append((100, 784, 100))   // the MLP VAE's batch, split across threads
            .Append((150, 787, 50));   // odd, three samples per image

    [Test]
    public void BernoulliLogLikelihood_AllShapes_MatchesReference()
    {
        foreach (var (rows, cols, xRows) in BernoulliShapes)
        {
            var logits = KernelBench<T>.Random(cols, rows * cols, 6);
            var x = Array.ConvertAll(KernelBench<T>.Random(cols + 1, xRows * cols), v => v > T.Zero ? T.One : T.Zero);
            var dll = KernelBench<T>.Random(cols + 2, rows);
            var (llWant, dWant) = (new double[rows], new double[rows * cols]);
            ReferenceFused.BernoulliLogLikelihood<T>(logits, x, llWant, rows, cols, xRows);
            ReferenceFused.BernoulliLogLikelihoodBackward<T>(logits, x, dll, dWant, rows, cols, xRows);

            var (lv, xv, ll, dl, dlogits) = (Bench.View(logits, 1), Bench.View(x, 3), Bench.Output(rows, 2), Bench.View(dll, 1), Bench.Output(rows * cols, 3));
            Backend.BernoulliLogLikelihood(lv, xv, ll, rows, cols, xRows);
            Backend.BernoulliLogLikelihoodBackward(lv, xv, dl, dlogits, rows, cols, xRows);
            var shape = $"{rows}×{cols}, x rows {xRows}";
            KernelBench<T>.AssertClose(llWant, Bench.ReadGuarded(ll, "ll"), $"Bernoulli ll, {shape}");
            KernelBench<T>.AssertClose(dWant, Bench.ReadGuarded(dlogits, "dlogits"), $"Bernoulli dlogits, {shape}");
        }
    }

    [Test]
    public void GaussianLogDensity_AllShapes_MatchesReference([Values] bool standard)
    {
        // (rows, cols, parameter rows): every row length, parameters repeated over a sample axis, and the IS-NLL's
        // 1024 samples of one image (split across threads).
        var shapes = KernelBench<T>.AllLengths.Select(cols => (3, cols, 3)).Concat(KernelBench<T>.AllLengths.Select(cols => (6, cols, 2)))
            .Append((1024, 40, 1)).Append((150, 37, 50));
        foreach (var (rows, cols, paramRows) in shapes)
        {
            var x = KernelBench<T>.Random(cols, rows * cols, 3);
            var mu = standard ? [] : KernelBench<T>.Random(cols + 1, paramRows * cols, 2);
            var logvar = standard ? [] : KernelBench<T>.Random(cols + 2, paramRows * cols, 2);
            var dll = KernelBench<T>.Random(cols + 3, rows);
            var (llWant, dxWant, dmuWant, dlvWant) = (new double[rows], new double[rows * cols], new double[paramRows * cols], new double[paramRows * cols]);
            ReferenceFused.GaussianLogDensity<T>(x, mu, logvar, llWant, rows, cols, paramRows);
            ReferenceFused.GaussianLogDensityBackward<T>(x, mu, logvar, dll, dxWant, dmuWant, dlvWant, rows, cols, paramRows);

            var (xv, ll, dlv, dx) = (Bench.View(x, 1), Bench.Output(rows, 2), Bench.View(dll, 3), Bench.Output(rows * cols, 1));
            BufferView? muv = standard ? null : Bench.View(mu, 2);
            BufferView? logvarv = standard ? null : Bench.View(logvar, 3);
            BufferView? dmu = standard ? null : Bench.Output(paramRows * cols, 2);
            BufferView? dlogvar = standard ? null : Bench.Output(paramRows * cols, 3);
            var parameterRows = standard ? 1 : paramRows;
            Backend.GaussianLogDensity(xv, muv, logvarv, ll, rows, cols, parameterRows);
            Backend.GaussianLogDensityBackward(xv, muv, logvarv, dlv, dx, dmu, dlogvar, rows, cols, parameterRows);
            var shape = $"{rows}×{cols}, parameter rows {paramRows}, standard {standard}";
            KernelBench<T>.AssertClose(llWant, Bench.ReadGuarded(ll, "ll"), $"Gaussian ll, {shape}");
            KernelBench<T>.AssertClose(dxWant, Bench.ReadGuarded(dx, "dx"), $"Gaussian dx, {shape}");
            if (!standard)
            {
                KernelBench<T>.AssertClose(dmuWant, Bench.ReadGuarded(dmu!.Value, "dmu"), $"Gaussian dμ, {shape}");
                KernelBench<T>.AssertClose(dlvWant, Bench.ReadGuarded(dlogvar!.Value, "dlogvar"), $"Gaussian dlogvar, {shape}");
            }
        }
    }

    [Test]
    public void GaussianLogDensityBackward_OnlySomeGradientsWanted_WritesThoseAndMatchesReference(
        [Values(true, false)] bool wantDx, [Values(true, false)] bool wantDmu, [Values(true, false)] bool wantDlogvar)
    {
        const int rows = 70, cols = 19, paramRows = 2; // 35 samples per parameter row: one full partial sum and a short one
        var x = KernelBench<T>.Random(1, rows * cols, 3);
        var mu = KernelBench<T>.Random(2, paramRows * cols, 2);
        var logvar = KernelBench<T>.Random(3, paramRows * cols, 2);
        var dll = KernelBench<T>.Random(4, rows);
        var (dxWant, dmuWant, dlvWant) = (new double[rows * cols], new double[paramRows * cols], new double[paramRows * cols]);
        ReferenceFused.GaussianLogDensityBackward<T>(x, mu, logvar, dll, dxWant, dmuWant, dlvWant, rows, cols, paramRows);

        BufferView? dx = wantDx ? Bench.Output(rows * cols, 1) : null;
        BufferView? dmu = wantDmu ? Bench.Output(paramRows * cols, 2) : null;
        BufferView? dlogvar = wantDlogvar ? Bench.Output(paramRows * cols, 3) : null;
        Backend.GaussianLogDensityBackward(Bench.View(x, 1), Bench.View(mu, 2), Bench.View(logvar, 3), Bench.View(dll, 1), dx, dmu, dlogvar, rows, cols, paramRows);
        if (dx is { } gx)
        {
            KernelBench<T>.AssertClose(dxWant, Bench.ReadGuarded(gx, "dx"), "dx");
        }

        if (dmu is { } gm)
        {
            KernelBench<T>.AssertClose(dmuWant, Bench.ReadGuarded(gm, "dmu"), "dμ");
        }

        if (dlogvar is { } gv)
        {
            KernelBench<T>.AssertClose(dlvWant, Bench.ReadGuarded(gv, "dlogvar"), "dlogvar");
        }
    }

    [Test]
    public void GaussianLogDensity_ViewsThatDoNotFit_Throw()
    {
        var x = Bench.View(KernelBench<T>.Random(1, 12), 0);
        var mu = Bench.View(KernelBench<T>.Random(2, 8), 0);
        var ll = Bench.Output(3, 0);
        Assert.That(() => Backend.GaussianLogDensity(x, mu, null, ll, 3, 4, 2), Throws.ArgumentException.With.Message.Contains("both"));
        Assert.That(() => Backend.GaussianLogDensity(x, mu, mu, ll, 3, 4, 2), Throws.ArgumentException.With.Message.Contains("multiple"));
        Assert.That(() => Backend.GaussianLogDensity(x, mu, mu, ll, 3, 4, 3), Throws.ArgumentException.With.Message.Contains("do not fit"));
        Assert.That(() => Backend.GaussianLogDensityBackward(x, null, null, ll, x, mu, null, 3, 4, 1), Throws.ArgumentException.With.Message.Contains("dμ"));
    }

    [Test]
    public void Reparameterize_AllLengths_MatchesReference([Values(1, 3)] int samples)
    {
        foreach (var n in KernelBench<T>.AllLengths)
        {
            var mu = KernelBench<T>.Random(n + 1, n);
            var logvar = KernelBench<T>.Random(n + 2, n);
            var eps = KernelBench<T>.Random(n + 3, samples * n);
            var dz = KernelBench<T>.Random(n + 4, samples * n);
            var (zWant, dmuWant, dlvWant) = (new double[samples * n], new double[n], new double[n]);
            ReferenceFused.Reparameterize<T>(mu, logvar, eps, zWant, samples, n);
            ReferenceFused.ReparameterizeBackward<T>(logvar, eps, dz, dmuWant, dlvWant, samples, n);

            var (lv, ev, z, dmu, dlv) = (Bench.View(logvar, 2), Bench.View(eps, 1), Bench.Output(samples * n, 3), Bench.Output(n, 1), Bench.Output(n, 2));
            Backend.Reparameterize(Bench.View(mu, 1), lv, ev, z, samples, n);
            Backend.ReparameterizeBackward(lv, ev, Bench.View(dz, 3), dmu, dlv, samples, n);
            KernelBench<T>.AssertClose(zWant, Bench.ReadGuarded(z, "z"), $"z, length {n}");
            KernelBench<T>.AssertClose(dmuWant, Bench.ReadGuarded(dmu, "dmu"), $"dmu, length {n}");
            KernelBench<T>.AssertClose(dlvWant, Bench.ReadGuarded(dlv, "dlogvar"), $"dlogvar, length {n}");
        }
    }

    [Test]
    public void LogMeanExpWeights_AllLengths_MatchesReference()
    {
        foreach (var samples in KernelBench<T>.AllLengths.Where(s => s > 0))
        {
            const int rows = 3;
            var logw = KernelBench<T>.Random(samples, rows * samples, 20, -100);
            for (var s = 0; s < samples; s++)
            {
                logw[samples + s] = T.NegativeInfinity; // row 1: every weight zero
            }

            var (lmeWant, wWant) = (new double[rows], new double[rows * samples]);
            ReferenceFused.LogMeanExpWeights<T>(logw, lmeWant, wWant, rows, samples);
            var (lme, w) = (Bench.Output(rows, 1), Bench.Output(rows * samples, 2));
            Backend.LogMeanExpWeights(Bench.View(logw, 3), lme, w, rows, samples);
            KernelBench<T>.AssertClose(lmeWant, Bench.ReadGuarded(lme, "lme"), $"lme, S = {samples}");
            KernelBench<T>.AssertClose(wWant, Bench.ReadGuarded(w, "weights"), $"weights, S = {samples}");
        }
    }
}
