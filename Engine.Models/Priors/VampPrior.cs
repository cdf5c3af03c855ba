using Engine.Core;
using Engine.Core.Nn;
using Engine.Kernels;

namespace Engine.Models.Priors;

/// <summary>How the VampPrior's pseudo-inputs are made (spec vae-and-priors §5).</summary>
public enum PseudoInputKind
{
    /// <summary>u_k = clip(W_k, 0, 1), W trainable, W ~ N(mean, std) (the VampPrior).</summary>
    Learned,
    /// <summary>u_k = K fixed random training images (seed 002's "VampPrior-data").</summary>
    FixedData,
    /// <summary>u_k initialised from K training images + N(0, 0.01²) and then trained (the VP repo's option).</summary>
    DataInit,
}

/// <summary>
/// The VampPrior (Tomczak &amp; Welling 2018, eq. 9): p(z) = (1/K) Σ_k q(z | u_k), the encoder's
/// posterior at K pseudo-inputs. The K×K identity through a bias-free linear layer of the reference
/// is the same as a trainable K×D matrix; hardtanh(0, 1) keeps pseudo-inputs in pixel range.
/// </summary>
public sealed class VampPrior : IPrior
{
    private readonly Func<Tensor, (Tensor Mu, Tensor Logvar)> _encode;
    private readonly Tensor _pseudo;

    /// <param name="encode">The VAE's encoder q(z|x): [K, D] → (μ, logvar) [K, M].</param>
    /// <param name="data">K training images [K, D] for the data variants; null for <see cref="PseudoInputKind.Learned"/>.</param>
    public VampPrior(Func<Tensor, (Tensor Mu, Tensor Logvar)> encode, int components, int inputs, PseudoInputKind kind, Rng rng,
        double initMean = 0.05, double initStd = 0.01, float[]? data = null, DType dtype = DType.Float32)
    {
        _encode = encode;
        Kind = kind;
        if (kind != PseudoInputKind.Learned && (data is null || data.Length != components * inputs))
        {
            throw new ArgumentException($"VampPrior: the {kind} variant needs {components}×{inputs} training pixels, got {data?.Length ?? 0}.");
        }

        _pseudo = kind switch
        {
            PseudoInputKind.Learned => Parameter.Create("prior.pseudo_inputs", new Shape(components, inputs), t => rng.FillNormal(t, initMean, initStd), dtype),
            PseudoInputKind.DataInit => Parameter.Create("prior.pseudo_inputs", new Shape(components, inputs), t =>
            {
                t.CopyFrom(Tensor.FromSpan<float>(data!, t.Shape).To(dtype));
                using var noise = new TensorScope();
                t.CopyFrom(Ops.Add(t, rng.Normal(t.Shape, dtype, 0, 0.01)));
            }, dtype),
            _ => Fixed(data!, components, inputs, dtype),
        };
    }

    public PseudoInputKind Kind { get; }

    public string Name => Kind == PseudoInputKind.Learned ? "vampprior" : "vampprior-data";

    /// <summary>The pseudo-inputs u [K, D] as the encoder sees them.</summary>
    public Tensor PseudoInputs() => Kind == PseudoInputKind.FixedData ? _pseudo : Ops.Hardtanh(_pseudo, 0, 1);

    public Tensor LogDensity(Tensor z)
    {
        var (mu, logvar) = _encode(PseudoInputs());
        return MixtureDensity.UniformMixtureLogDensity(z, mu, logvar);
    }

    public Tensor? AnalyticKl(Tensor mu, Tensor logvar) => null;

    public Tensor Sample(int n, Rng rng)
    {
        var k = Enumerable.Range(0, n).Select(_ => rng.NextInt(_pseudo.Shape[0])).ToArray();
        var (mu, logvar) = _encode(Ops.IndexSelect(PseudoInputs(), 0, k));
        return Ops.Reparameterize(mu, logvar, rng);
    }

    public IEnumerable<Tensor> Parameters() => Kind == PseudoInputKind.FixedData ? [] : [_pseudo];

    private static Tensor Fixed(float[] data, int components, int inputs, DType dtype)
    {
        var t = Tensor.PersistentZeros(new Shape(components, inputs), dtype);
        t.CopyFrom(Tensor.FromSpan<float>(data, t.Shape).To(dtype));
        t.Name = "prior.pseudo_inputs";
        return t;
    }
}
