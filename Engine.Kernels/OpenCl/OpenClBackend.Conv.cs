namespace Engine.Kernels.OpenCl;

public sealed partial class OpenClBackend
{
    private const long MaxColumnElements = 1L << 24; // column scratch per chunk of images (64 MiB in float32)

    public void Conv2dForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView y, bool relu)
    {
        var dtype = x.DType;
        Check(nameof(Conv2dForward), dtype, x, g.InputLength, "x");
        Check(nameof(Conv2dForward), dtype, w, g.WeightLength, "w");
        Check(nameof(Conv2dForward), dtype, y, g.OutputLength, "y");
        if (bias is { } b)
        {
            Check(nameof(Conv2dForward), dtype, b, g.K, "bias");
        }

        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        var chunk = ImagesPerChunk(g);
        using var scope = _gate.EnterScope();
        var col = _pool.Rent(dtype, (int)Math.Min(int.MaxValue, (long)chunk * crs * pq));
        for (var n0 = 0; n0 < g.N; n0 += chunk)
        {
            var count = Math.Min(chunk, g.N - n0);
            // col[image] = im2col(x[n0 + image]) as [CRS, PQ]; y[n0 + image] = W [K, CRS] · col[image]
            EnqueueIm2Col(g, x, col, n0, count, imageStride: crs * pq, rowStride: pq);
            EnqueueGemm(false, false, g.K, pq, crs, 1, w, crs, 0, Whole(col), pq, crs * pq,
                0, y.Slice(n0 * g.K * pq, count * g.K * pq), pq, g.K * pq, count);
        }

        if (bias is { } channelBias)
        {
            Enqueue1D(Args(ClKernelId.AddChannelBias, dtype).View(y).View(channelBias).Int(g.N).Int(g.K).Int(pq), (long)g.N * g.K * pq);
        }

        _pool.Return(col);
        if (relu)
        {
            Unary(UnaryOp.Relu, y, y);
        }
    }

    public void Conv2dBackwardData(ConvGeometry g, BufferView dy, BufferView w, BufferView? bias, BufferView dx, bool relu)
    {
        var dtype = dy.DType;
        Check(nameof(Conv2dBackwardData), dtype, dy, g.OutputLength, "dy");
        Check(nameof(Conv2dBackwardData), dtype, w, g.WeightLength, "w");
        Check(nameof(Conv2dBackwardData), dtype, dx, g.InputLength, "dx");
        if (bias is { } b)
        {
            Check(nameof(Conv2dBackwardData), dtype, b, g.C, "bias");
        }

        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        var chunk = ImagesPerChunk(g);
        using var scope = _gate.EnterScope();
        var col = _pool.Rent(dtype, (int)Math.Min(int.MaxValue, (long)chunk * crs * pq));
        for (var n0 = 0; n0 < g.N; n0 += chunk)
        {
            var count = Math.Min(chunk, g.N - n0);
            // col[image] = Wᵀ [CRS, K] · dy[n0 + image] [K, PQ]; dx[n0 + image] = col2im(col[image])
            EnqueueGemm(true, false, crs, pq, g.K, 1, w, crs, 0, dy.Slice(n0 * g.K * pq, count * g.K * pq), pq, g.K * pq,
                0, Whole(col), pq, crs * pq, count);
            var args = Args(ClKernelId.Col2im, dtype).Mem(col).View(dx).Int(n0).Int(count);
            Enqueue1D(Geometry(args, g).Int(crs * pq).Int(pq), (long)count * g.C * g.H * g.W);
        }

        if (bias is { } channelBias)
        {
            Enqueue1D(Args(ClKernelId.AddChannelBias, dtype).View(dx).View(channelBias).Int(g.N).Int(g.C).Int(g.H * g.W), (long)g.N * g.C * g.H * g.W);
        }

        _pool.Return(col);
        if (relu)
        {
            Unary(UnaryOp.Relu, dx, dx);
        }
    }

    public void Conv2dBackwardWeight(ConvGeometry g, BufferView x, BufferView dy, BufferView dw, BufferView? db)
    {
        var dtype = x.DType;
        Check(nameof(Conv2dBackwardWeight), dtype, x, g.InputLength, "x");
        Check(nameof(Conv2dBackwardWeight), dtype, dy, g.OutputLength, "dy");
        Check(nameof(Conv2dBackwardWeight), dtype, dw, g.WeightLength, "dw");
        if (db is { } bias)
        {
            Check(nameof(Conv2dBackwardWeight), dtype, bias, g.K, "db");
        }

        if (g.N == 0)
        {
            Fill(dw, 0);
            if (db is { } empty)
            {
                Fill(empty, 0);
            }

            return;
        }

        int crs = g.C * g.R * g.S, pq = g.P * g.Q;
        var chunk = ImagesPerChunk(g);
        using var scope = _gate.EnterScope();
        var col = _pool.Rent(dtype, (int)Math.Min(int.MaxValue, (long)chunk * crs * pq));
        var dyByChannel = _pool.Rent(dtype, (int)Math.Min(int.MaxValue, (long)chunk * g.K * pq));
        for (var n0 = 0; n0 < g.N; n0 += chunk)
        {
            var count = Math.Min(chunk, g.N - n0);
            var columns = count * pq;
            // The chunk's images side by side: col [CRS, count·PQ] and dy as [K, count·PQ]; then one
            // GEMM dw (+)= dy · colᵀ sums over images and pixels at once.
            EnqueueIm2Col(g, x, col, n0, count, imageStride: pq, rowStride: columns);
            ReadOnlySpan<int> shape = [g.K, count, pq];
            ReadOnlySpan<int> walk = [pq, g.K * pq, 1];
            var permute = Args(ClKernelId.Permute, dtype).View(dy.Slice(n0 * g.K * pq, count * g.K * pq)).Mem(dyByChannel).Int(0)
                .Int(count * g.K * pq).Int(3).Int8(shape).Int8(walk);
            Enqueue1D(permute, (long)count * g.K * pq);
            EnqueueGemm(false, true, g.K, crs, columns, 1, Whole(dyByChannel), columns, 0, Whole(col), columns, 0,
                n0 == 0 ? 0 : 1, dw, crs, 0, 1);
        }

        if (db is { } channelGradient)
        {
            Enqueue1D(Args(ClKernelId.ChannelSums, dtype).View(dy).View(channelGradient).Int(g.N).Int(g.K).Int(pq), g.K);
        }

        _pool.Return(col);
        _pool.Return(dyByChannel);
    }

    public void MaxPool2x2(BufferView x, BufferView y, int planes, int h, int w)
    {
        var outputs = (long)planes * (h / 2) * (w / 2);
        Check(nameof(MaxPool2x2), x.DType, x, (long)planes * h * w, "x");
        Check(nameof(MaxPool2x2), x.DType, y, outputs, "y");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.MaxPool, x.DType).View(x).View(y).Int(planes).Int(h).Int(w), outputs);
    }

    public void MaxPool2x2Backward(BufferView x, BufferView dy, BufferView dx, int planes, int h, int w)
    {
        var outputs = (long)planes * (h / 2) * (w / 2);
        Check(nameof(MaxPool2x2Backward), x.DType, x, (long)planes * h * w, "x");
        Check(nameof(MaxPool2x2Backward), x.DType, dy, outputs, "dy");
        Check(nameof(MaxPool2x2Backward), x.DType, dx, (long)planes * h * w, "dx");
        Fill(dx.Slice(0, planes * h * w), 0);
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.MaxPoolBackward, x.DType).View(x).View(dy).View(dx).Int(planes).Int(h).Int(w), outputs);
    }

    /// <summary>The convolution into pooled scratch, then one work-item per window picks the winner (and applies the ReLU; no fused kernel here).</summary>
    public void Conv2dMaxPoolForward(ConvGeometry g, BufferView x, BufferView w, BufferView? bias, BufferView pooled, BufferView code, bool relu)
    {
        var dtype = x.DType;
        var windows = CheckPooled(nameof(Conv2dMaxPoolForward), g, dtype, pooled, code);
        var y = _pool.Rent(dtype, (int)g.OutputLength);
        Conv2dForward(g, x, w, bias, Whole(y).Slice(0, (int)g.OutputLength), relu: false);
        using (_gate.EnterScope())
        {
            Enqueue1D(Args(ClKernelId.MaxPoolArgmax, dtype).Mem(y).Int(0).View(pooled).View(code).Int(g.N * g.K).Int(g.P).Int(g.Q).Int(relu ? 1 : 0), windows);
        }

        _pool.Return(y);
    }

    /// <summary>dy unpooled into scratch (windows without a winner get nothing), then the convolution's weight and bias gradients.</summary>
    public void Conv2dMaxPoolBackwardWeight(ConvGeometry g, BufferView x, BufferView dpooled, BufferView code, BufferView dw, BufferView? db)
    {
        var dtype = x.DType;
        CheckPooled(nameof(Conv2dMaxPoolBackwardWeight), g, dtype, dpooled, code);
        var dy = _pool.Rent(dtype, (int)g.OutputLength);
        MaxUnpool2x2(dpooled, code, Whole(dy).Slice(0, (int)g.OutputLength), g.N * g.K, g.P, g.Q);
        Conv2dBackwardWeight(g, x, Whole(dy).Slice(0, (int)g.OutputLength), dw, db);
        _pool.Return(dy);
    }

    /// <summary>dy unpooled into scratch (windows without a winner get nothing), then the convolution's data gradient.</summary>
    public void Conv2dMaxPoolBackwardData(ConvGeometry g, BufferView dpooled, BufferView code, BufferView w, BufferView dx)
    {
        var dtype = dx.DType;
        CheckPooled(nameof(Conv2dMaxPoolBackwardData), g, dtype, dpooled, code);
        var dy = _pool.Rent(dtype, (int)g.OutputLength);
        MaxUnpool2x2(dpooled, code, Whole(dy).Slice(0, (int)g.OutputLength), g.N * g.K, g.P, g.Q);
        Conv2dBackwardData(g, Whole(dy).Slice(0, (int)g.OutputLength), w, null, dx, relu: false);
        _pool.Return(dy);
    }

    public void MaxUnpool2x2(BufferView dpooled, BufferView code, BufferView dy, int planes, int h, int w)
    {
        var dtype = dy.DType;
        var windows = (long)planes * (h / 2) * (w / 2);
        if (h % 2 != 0 || w % 2 != 0)
        {
            throw new ArgumentException($"{nameof(MaxUnpool2x2)}: planes of {h}×{w} must have even sizes.");
        }

        Check(nameof(MaxUnpool2x2), dtype, dpooled, windows, "dpooled");
        Check(nameof(MaxUnpool2x2), dtype, code, windows, "code");
        Check(nameof(MaxUnpool2x2), dtype, dy, (long)planes * h * w, "dy");
        using var scope = _gate.EnterScope();
        Enqueue1D(Args(ClKernelId.MaxUnpool, dtype).View(dpooled).View(code).View(dy).Int(planes).Int(h).Int(w), windows);
    }

    private long CheckPooled(string kernel, ConvGeometry g, DType dtype, BufferView pooled, BufferView code)
    {
        if (g.P % 2 != 0 || g.Q % 2 != 0)
        {
            throw new ArgumentException($"{kernel}: output {g.P}×{g.Q} must have even sizes to be pooled 2×2.");
        }

        var windows = (long)g.N * g.K * (g.P / 2) * (g.Q / 2);
        Check(kernel, dtype, pooled, windows, "pooled");
        Check(kernel, dtype, code, windows, "code");
        return windows;
    }

    /// <summary>Images per im2col chunk: as many as keep the column scratch under <see cref="MaxColumnElements"/> (at least 1).</summary>
    private static int ImagesPerChunk(ConvGeometry g)
    {
        var perImage = Math.Max(1L, (long)g.C * g.R * g.S * g.P * g.Q);
        return (int)Math.Clamp(MaxColumnElements / perImage, 1, Math.Max(1, g.N));
    }

    private void EnqueueIm2Col(ConvGeometry g, BufferView x, ClBuffer col, int n0, int count, int imageStride, int rowStride)
    {
        var args = Args(ClKernelId.Im2col, x.DType).View(x).Mem(col).Int(n0).Int(count);
        Enqueue1D(Geometry(args, g).Int(imageStride).Int(rowStride), (long)count * g.C * g.R * g.S * g.P * g.Q);
    }

    private static ClArgs Geometry(ClArgs args, ConvGeometry g) =>
        args.Int(g.C).Int(g.H).Int(g.W).Int(g.R).Int(g.S).Int(g.StrideH).Int(g.StrideW).Int(g.PadH).Int(g.PadW).Int(g.P).Int(g.Q);

    private static BufferView Whole(ClBuffer buffer) => new(buffer, 0, buffer.Length);
}
