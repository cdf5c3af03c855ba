namespace Engine.Core;

public static partial class Ops
{
    /// <summary>
    /// f(x) for a function that treats the rows of x's first axis independently (a network's per-sample layers), run
    /// <paramref name="chunk"/> rows at a time when no tape is recording: each chunk's intermediates go back to the pool
    /// before the next chunk starts, so the next one reuses the same, still cached, buffers, and its result is copied into
    /// one output. Under a recording tape, f(x) in one call (the tape keeps whole intermediates for the backward pass).
    /// The values are f(x)'s bit for bit when f's kernels compute each row alone (convolutions, elementwise ops; a GEMM's
    /// rows too, but its packing is then repeated per chunk).
    /// Why: importance sampling decodes 1024 samples at once; the conv VAE's transposed convolutions then wrote a 25.7 MB
    /// intermediate, more than the cache, and read it back from memory.
    /// </summary>
    public static Tensor MapChunks(Tensor x, int chunk, Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f);
        if (chunk < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunk), $"map_chunks: chunk {chunk} must be at least 1 row.");
        }

        if (x.Rank == 0)
        {
            throw new ArgumentException($"map_chunks: {x.Describe()} has no first axis to cut into chunks.");
        }

        var rows = x.Shape[0];
        if (Tape.IsRecording || rows <= chunk)
        {
            return f(x);
        }

        Tensor? result = null;
        for (var start = 0; start < rows; start += chunk)
        {
            var count = Math.Min(chunk, rows - start);
            using var scope = new TensorScope();
            var part = f(Slice(x, 0, start, count));
            if (part.Rank == 0 || part.Shape[0] != count)
            {
                throw new ArgumentException($"map_chunks: f turned a chunk of {count} rows into {part.Describe()}; it must keep the first axis.");
            }

            if (result is null)
            {
                var dims = part.Shape.ToArray();
                dims[0] = rows;
                result = scope.Keep(Tensor.Empty(new Shape(dims), part.DType, part.Backend));
            }
            else if (part.Shape.Numel / count != result.Numel / rows || part.DType != result.DType)
            {
                throw new ArgumentException($"map_chunks: chunk {start / chunk} gave {part.Describe()}, unlike the first chunk's rows of {result.Describe()}.");
            }

            var rowLength = part.Numel / count;
            part.Backend.Copy(part.View, result.View.Slice(start * rowLength, count * rowLength));
        }

        return result!;
    }
}
