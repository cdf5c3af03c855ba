using System.Buffers.Binary;

namespace Engine.Experiments.Data.Formats;

/// <summary>A NumPy array as stored: its header and its raw little-endian data bytes.</summary>
public sealed record NpyArray(NpyHeader Header, byte[] Data)
{
    public int[] Shape => Header.Shape;

    /// <summary>The elements as 64-bit integers (integer and bool dtypes only).</summary>
    public long[] ToInt64()
    {
        var size = Header.ItemSize;
        var kind = Header.Descr[1];
        if (kind is not ('i' or 'u' or 'b'))
        {
            throw new InvalidOperationException($"NpyArray.ToInt64: dtype {Header.Descr} is not an integer type.");
        }

        var result = new long[Header.Count];
        var span = Data.AsSpan();
        for (var i = 0; i < result.Length; i++)
        {
            var p = span.Slice(i * size, size);
            result[i] = (kind, size) switch
            {
                ('b', _) => p[0] != 0 ? 1 : 0, // numpy writes True as 1, PIL-made arrays as 0xFF: any non-zero byte is True
                ('u', 1) => p[0],
                ('i', 1) => (sbyte)p[0],
                ('u', 2) => BinaryPrimitives.ReadUInt16LittleEndian(p),
                ('i', 2) => BinaryPrimitives.ReadInt16LittleEndian(p),
                ('u', 4) => BinaryPrimitives.ReadUInt32LittleEndian(p),
                ('i', 4) => BinaryPrimitives.ReadInt32LittleEndian(p),
                ('u', 8) => (long)BinaryPrimitives.ReadUInt64LittleEndian(p),
                _ => BinaryPrimitives.ReadInt64LittleEndian(p),
            };
        }

        return result;
    }

    /// <summary>The elements as doubles (any supported dtype).</summary>
    public double[] ToDouble()
    {
        if (Header.Descr[1] != 'f')
        {
            return Array.ConvertAll(ToInt64(), v => (double)v);
        }

        var size = Header.ItemSize;
        var result = new double[Header.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = size == 4 ? BinaryPrimitives.ReadSingleLittleEndian(Data.AsSpan(4 * i)) : BinaryPrimitives.ReadDoubleLittleEndian(Data.AsSpan(8 * i));
        }

        return result;
    }
}
