namespace Engine.Kernels.Reference;

/// <summary>Ground truth for 2×2 max-pooling with winners and its unpooling: float64 loops over each window.</summary>
internal static class ReferencePooling
{
    /// <summary>pooled = max of each window of x [planes, h, w]; code = 0…3, the first maximal element (top-left, top-right, bottom-left, bottom-right) under a strict &gt;.</summary>
    public static void Forward(ReadOnlySpan<double> x, Span<double> pooled, Span<int> code, int planes, int h, int w)
    {
        int oh = h / 2, ow = w / 2;
        for (var plane = 0; plane < planes; plane++)
        {
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var at = plane * h * w + 2 * i * w + 2 * j;
                    ReadOnlySpan<int> offsets = [0, 1, w, w + 1];
                    var (best, winner) = (x[at], 0);
                    for (var t = 1; t < 4; t++)
                    {
                        if (x[at + offsets[t]] > best)
                        {
                            (best, winner) = (x[at + offsets[t]], t);
                        }
                    }

                    var o = (plane * oh + i) * ow + j;
                    (pooled[o], code[o]) = (best, winner);
                }
            }
        }
    }

    /// <summary>dy [planes, h, w] = dpooled at each window's winner, 0 elsewhere.</summary>
    public static void Unpool(ReadOnlySpan<double> dpooled, ReadOnlySpan<int> code, Span<double> dy, int planes, int h, int w)
    {
        int oh = h / 2, ow = w / 2;
        dy[..(planes * h * w)].Clear();
        for (var plane = 0; plane < planes; plane++)
        {
            for (var i = 0; i < oh; i++)
            {
                for (var j = 0; j < ow; j++)
                {
                    var o = (plane * oh + i) * ow + j;
                    var c = code[o];
                    if (c < 4) // 4: no winner (a ReLU after the pool cut the window)
                    {
                        dy[plane * h * w + (2 * i + c / 2) * w + 2 * j + c % 2] = dpooled[o];
                    }
                }
            }
        }
    }
}
