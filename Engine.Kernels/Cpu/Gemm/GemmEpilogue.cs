using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Engine.Kernels.Cpu.Gemm;

/// <summary>
/// C = act(C + bias) applied by the GEMM to each C tile right after its last k block, while the tile is in L1: the tail of
/// a linear layer (<see cref="IBackend.GemmBiasActivation"/>) without a pass of its own over C. Why: in the IS-NLL and VAE
/// decoders that pass read and wrote every activation once more (5–7 % of IS-NLL's samples). Only activations whose value
/// does not depend on how a row is cut into spans are taken (identity, ReLU, leaky ReLU), so the result is bit for bit
/// that of the GEMM followed by <see cref="IBackend.BiasActivation"/>.
/// </summary>
internal readonly struct GemmEpilogue<T>(T[] bias, int offset, UnaryOp activation, T alpha) where T : unmanaged, IFloatingPointIeee754<T>
{
    public static bool Supports(UnaryOp activation) => activation is UnaryOp.Identity or UnaryOp.Relu or UnaryOp.LeakyRelu;

    /// <summary>Rows × cols of C from <paramref name="c"/> (rows <paramref name="ldc"/> apart), whose first column is column <paramref name="j0"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Apply(ref T c, int ldc, int rows, int j0, int cols)
    {
        ref var b = ref bias[offset + j0];
        if (Vector512.IsHardwareAccelerated && cols == 2 * Vector512<T>.Count && activation is UnaryOp.Identity or UnaryOp.Relu)
        {
            var (b0, b1) = (Vector512.LoadUnsafe(ref b), Vector512.LoadUnsafe(ref b, (nuint)Vector512<T>.Count));
            for (var r = 0; r < rows; r++)
            {
                ref var row = ref Unsafe.Add(ref c, r * ldc);
                var v0 = Vector512.LoadUnsafe(ref row) + b0;
                var v1 = Vector512.LoadUnsafe(ref row, (nuint)Vector512<T>.Count) + b1;
                if (activation == UnaryOp.Relu)
                {
                    (v0, v1) = (Vector512.Max(v0, Vector512<T>.Zero), Vector512.Max(v1, Vector512<T>.Zero));
                }

                v0.StoreUnsafe(ref row);
                v1.StoreUnsafe(ref row, (nuint)Vector512<T>.Count);
            }

            return;
        }

        var biasRow = bias.AsSpan(offset + j0, cols);
        for (var r = 0; r < rows; r++)
        {
            var row = System.Runtime.InteropServices.MemoryMarshal.CreateSpan(ref Unsafe.Add(ref c, r * ldc), cols);
            TensorPrimitives.Add(row, biasRow, row);
            UnaryKernels.Forward(activation, row, row, alpha, T.Zero);
        }
    }
}
