namespace Engine.Kernels;

/// <summary>A contiguous run of <see cref="Length"/> elements of a buffer starting at <see cref="Offset"/>.</summary>
public readonly record struct BufferView(DeviceBuffer Buffer, int Offset, int Length)
{
    public DType DType => Buffer.DType;

    public BufferView Slice(int start, int length)
    {
        if ((uint)start > (uint)Length || (uint)length > (uint)(Length - start))
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"Slice [{start}, {start + length}) is outside a view of {Length} elements.");
        }

        return new BufferView(Buffer, Offset + start, length);
    }

    public override string ToString() => $"{Buffer}[{Offset}..{Offset + Length})";
}
