using Engine.Kernels;

namespace Engine.Core;

/// <summary>
/// The backend a <see cref="CapturedStep"/> hands out while it records: every kernel call runs on the real backend at once
/// and is kept as a closure over the same buffers and arguments, so <see cref="CapturedStep.Replay"/> can issue the whole
/// step again without any C# op code, tape or tensor object. Spans are copied when recorded. Calls whose result would
/// reach the host (downloads, scalar reductions) and uploads of host data are refused: a replay could not repeat the
/// host's decisions or its new data, and would silently compute something else; so are gathers and scatters, whose index
/// arrays are host data too. Random fills are replayed on fresh
/// counters (see <see cref="CapturedStep"/>). Releases are held back until the captured step is disposed, so no buffer
/// the replay writes can be handed to other code in between.
/// </summary>
internal sealed class RecordingBackend(IBackend inner, CapturedStep owner) : IBackend
{
    private readonly List<Action> _calls = [];
    private readonly List<DeviceBuffer> _heldReleases = [];

    public IBackend Inner { get; } = inner;

    public CapturedStep Owner { get; } = owner;

    public IReadOnlyList<Action> Calls => _calls;

    public IReadOnlyList<DeviceBuffer> HeldReleases => _heldReleases;

    public string Name => Inner.Name;

    public int Parallelism => Inner.Parallelism;

    public DeviceBuffer Allocate(DType dtype, int length) => Inner.Allocate(dtype, length);

    public void Release(DeviceBuffer buffer) => _heldReleases.Add(buffer);

    public void Upload<T>(ReadOnlySpan<T> source, BufferView destination) where T : unmanaged =>
        throw Refused("upload", "host data uploaded inside the step would be frozen at its recorded values; copy new inputs into a tensor made before Record, before each Replay");

    public void Download<T>(BufferView source, Span<T> destination) where T : unmanaged =>
        throw Refused("download (Item, ToArray or a host-side decision)", "a replay cannot repeat what the host did with the values");

    public double Sum(BufferView x) => throw Refused("Sum to the host", "a replay cannot repeat what the host did with the value");

    public bool AllFinite(BufferView x) => throw Refused("AllFinite", "a replay cannot repeat the host's decision");

    public double SumOfSquares(BufferView x) => throw Refused("SumOfSquares", "a replay cannot repeat what the host did with the value");

    public void Synchronize() => Inner.Synchronize();

    public void Fill(BufferView y, double value) => Run(() => Inner.Fill(y, value));

    public void Copy(BufferView x, BufferView y) => Run(() => Inner.Copy(x, y));

    public void CopyBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols) =>
        Run(() => Inner.CopyBlocks(x, xStride, y, yStride, rows, cols));

    public void AddBlocks(BufferView x, int xStride, BufferView y, int yStride, int rows, int cols) =>
        Run(() => Inner.AddBlocks(x, xStride, y, yStride, rows, cols));

    public void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y, bool relu) =>
        Run(() => Inner.Conv2dForward(g, x, w, bias, y, relu));

    public void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView? bias, BufferView dx, bool relu) =>
        Run(() => Inner.Conv2dBackwardData(g, dy, w, bias, dx, relu));

    public void Conv2dBackwardWeight(ConvGeometry g, BufferView x, BufferView dy, BufferView dw, BufferView? db) =>
        Run(() => Inner.Conv2dBackwardWeight(g, x, dy, dw, db));

    public void Conv2dMaxPoolForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView pooled, BufferView code, bool relu) =>
        Run(() => Inner.Conv2dMaxPoolForward(g, x, w, bias, pooled, code, relu));

    public void Conv2dMaxPoolBackwardWeight(ConvGeometry g, BufferView x, BufferView dpooled, BufferView code, BufferView dw, BufferView? db) =>
        Run(() => Inner.Conv2dMaxPoolBackwardWeight(g, x, dpooled, code, dw, db));

    public void Conv2dMaxPoolBackwardData(ConvGeometry g, BufferView dpooled, BufferView code, BufferView w, BufferView dx) =>
        Run(() => Inner.Conv2dMaxPoolBackwardData(g, dpooled, code, w, dx));

    public void MaxUnpool2x2(BufferView dpooled, BufferView code, BufferView dy, int planes, int h, int w) =>
        Run(() => Inner.MaxUnpool2x2(dpooled, code, dy, planes, h, w));

    public void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w) => Run(() => Inner.MaxPool2x2(x, y, planes, h, w));

    public void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w) =>
        Run(() => Inner.MaxPool2x2Backward(x, dy, dx, planes, h, w));

    public void Unary(UnaryOp op, BufferView x, BufferView y, double p0 = 0, double p1 = 0) => Run(() => Inner.Unary(op, x, y, p0, p1));

    public void UnaryBackward(UnaryOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, double p0 = 0, double p1 = 0) =>
        Run(() => Inner.UnaryBackward(op, x, y, dy, dx, p0, p1));

    public void Binary(BinaryOp op, BufferView a, ReadOnlySpan<int> aStrides, BufferView b, ReadOnlySpan<int> bStrides, BufferView y, ReadOnlySpan<int> shape)
    {
        int[] aS = aStrides.ToArray(), bS = bStrides.ToArray(), dims = shape.ToArray();
        Run(() => Inner.Binary(op, a, aS, b, bS, y, dims));
    }

    public void Reduce(ReduceOp op, BufferView x, BufferView y, int outer, int n, int inner) => Run(() => Inner.Reduce(op, x, y, outer, n, inner));

    public void ReduceBackward(ReduceOp op, BufferView x, BufferView y, BufferView dy, BufferView dx, int outer, int n, int inner) =>
        Run(() => Inner.ReduceBackward(op, x, y, dy, dx, outer, n, inner));

    public void Permute(BufferView x, ReadOnlySpan<int> shape, ReadOnlySpan<int> perm, BufferView y)
    {
        int[] dims = shape.ToArray(), axes = perm.ToArray();
        Run(() => Inner.Permute(x, dims, axes, y));
    }

    public void Gather(BufferView x, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView y) =>
        throw Refused("a gather (index_select) with host indices", HostIndices);

    public void ScatterAdd(BufferView dy, int outer, int n, int inner, ReadOnlySpan<int> indices, BufferView dx) =>
        throw Refused("a scatter-add (index_select's gradient) with host indices", HostIndices);

    public void HyperLayer(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh) =>
        Run(() => Inner.HyperLayer(h, inner, outer, targets, uh));

    public void HyperLayerBackward(BufferView h, int inner, int outer, HyperMatrix[] targets, BufferView uh, HyperMatrixGradient[] gradients, BufferView? dh, BufferView scratch) =>
        Run(() => Inner.HyperLayerBackward(h, inner, outer, targets, uh, gradients, dh, scratch));

    public void Reparameterize(BufferView mu, BufferView logvar, BufferView eps, BufferView z, int samples, int rowsTimesCols) =>
        Run(() => Inner.Reparameterize(mu, logvar, eps, z, samples, rowsTimesCols));

    public void ReparameterizeBackward(BufferView logvar, BufferView eps, BufferView dz, BufferView? dmu, BufferView? dlogvar, int samples, int rowsTimesCols) =>
        Run(() => Inner.ReparameterizeBackward(logvar, eps, dz, dmu, dlogvar, samples, rowsTimesCols));

    public void LogMeanExpWeights(BufferView logw, BufferView lme, BufferView weights, int rows, int samples) =>
        Run(() => Inner.LogMeanExpWeights(logw, lme, weights, rows, samples));

    public void BernoulliLogLikelihood(BufferView logits, BufferView x, BufferView ll, int rows, int cols, int xRows) =>
        Run(() => Inner.BernoulliLogLikelihood(logits, x, ll, rows, cols, xRows));

    public void BernoulliLogLikelihoodBackward(BufferView logits, BufferView x, BufferView dll, BufferView dlogits, int rows, int cols, int xRows) =>
        Run(() => Inner.BernoulliLogLikelihoodBackward(logits, x, dll, dlogits, rows, cols, xRows));

    public void GaussianLogDensity(BufferView x, BufferView? mu, BufferView? logvar, BufferView ll, int rows, int cols, int paramRows) =>
        Run(() => Inner.GaussianLogDensity(x, mu, logvar, ll, rows, cols, paramRows));

    public void GaussianLogDensityBackward(BufferView x, BufferView? mu, BufferView? logvar, BufferView dll, BufferView? dx, BufferView? dmu, BufferView? dlogvar, int rows, int cols, int paramRows) =>
        Run(() => Inner.GaussianLogDensityBackward(x, mu, logvar, dll, dx, dmu, dlogvar, rows, cols, paramRows));

    public void NearestNeighbours(BufferView x, int n, int dim, bool l1, BufferView distance, BufferView neighbour) =>
        Run(() => Inner.NearestNeighbours(x, n, dim, l1, distance, neighbour));

    public void NearestNeighboursBackward(BufferView x, BufferView neighbour, BufferView distance, BufferView dDistance, BufferView dx, int n, int dim, bool l1) =>
        Run(() => Inner.NearestNeighboursBackward(x, neighbour, distance, dDistance, dx, n, dim, l1));

    public void Gemm(
        bool transA, bool transB, int m, int n, int k, double alpha,
        BufferView a, int lda, int strideA,
        BufferView b, int ldb, int strideB,
        double beta, BufferView c, int ldc, int strideC, int batch = 1) =>
        Run(() => Inner.Gemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB, beta, c, ldc, strideC, batch));

    public void BiasActivation(BufferView y, BufferView bias, int rows, int cols, UnaryOp activation, double alpha) =>
        Run(() => Inner.BiasActivation(y, bias, rows, cols, activation, alpha));

    public void GemmBiasActivation(
        bool transA, bool transB, int m, int n, int k, BufferView a, int lda, BufferView b, int ldb, BufferView c, int ldc,
        BufferView bias, UnaryOp activation, double alpha) =>
        Run(() => Inner.GemmBiasActivation(transA, transB, m, n, k, a, lda, b, ldb, c, ldc, bias, activation, alpha));

    public void DenseGradients(int rows, int outputs, int inputs, BufferView dy, BufferView x, double dwBeta, BufferView dw, double dbBeta, BufferView db) =>
        Run(() => Inner.DenseGradients(rows, outputs, inputs, dy, x, dwBeta, dw, dbBeta, db));

    public void AdamStep(BufferView p, BufferView grad, BufferView m, BufferView v, double lr, double beta1, double beta2, double eps, double c1, double c2, double weightDecay, double gradScale) =>
        throw Refused("an optimiser step", "its bias corrections and learning rate change every step; call the optimiser after Replay");

    public void SgdStep(BufferView p, BufferView grad, BufferView? momentumBuffer, double lr, double momentum, double gradScale) =>
        throw Refused("an optimiser step", "its learning rate may change between steps; call the optimiser after Replay");

    public void FillNormal(BufferView y, ulong seed, ulong counter, double mean, double std)
    {
        var (stream, offset) = Owner.RandomStream(seed, counter);
        Inner.FillNormal(y, seed, counter, mean, std);
        _calls.Add(() => Inner.FillNormal(y, seed, Owner.ReplayCounter(stream, offset), mean, std));
    }

    public void FillUniform(BufferView y, ulong seed, ulong counter, double low, double high)
    {
        var (stream, offset) = Owner.RandomStream(seed, counter);
        Inner.FillUniform(y, seed, counter, low, high);
        _calls.Add(() => Inner.FillUniform(y, seed, Owner.ReplayCounter(stream, offset), low, high));
    }

    private const string HostIndices = "the indices are host data that would be frozen at their recorded values; select with a one-hot or mask tensor made before Record";

    private void Run(Action call)
    {
        call();
        _calls.Add(call);
    }

    private static InvalidOperationException Refused(string what, string why) =>
        new($"CapturedStep.Record: the step calls {what}, which cannot be captured: {why}.");
}
