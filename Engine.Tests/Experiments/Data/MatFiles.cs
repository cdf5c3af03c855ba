using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using Engine.Experiments.Data.Formats;

namespace Engine.Tests.Experiments.Data;

/// <summary>Writes small Level-5 MAT-files for reader tests: numeric, char and cell variables, optionally miCOMPRESSED.</summary>
internal static class MatFiles
{
    public const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9, MiMatrix = 14, MiCompressed = 15, MiUtf8 = 16;

    public static byte[] File(params byte[][] elements)
    {
        var header = new byte[128];
        Array.Fill(header, (byte)' ', 0, 116);
        Encoding.ASCII.GetBytes("MATLAB 5.0 MAT-file, Platform: test, written by Engine.Tests").CopyTo(header, 0);
        Array.Clear(header, 116, 8);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(124), 0x0100);
        header[126] = (byte)'I';
        header[127] = (byte)'M';
        return [.. header, .. elements.SelectMany(e => e)];
    }

    /// <summary>A numeric miMATRIX: <paramref name="payload"/> holds the column-major values already encoded as <paramref name="miType"/>.</summary>
    public static byte[] Numeric(string name, MatClass @class, int[] dims, int miType, byte[] payload, bool smallName = false) =>
        Matrix(@class, dims, name, Element(miType, payload), smallName);

    public static byte[] UInt8(string name, MatClass @class, int[] dims, byte[] values, bool smallName = false) =>
        Numeric(name, @class, dims, MiUInt8, values, smallName);

    public static byte[] Doubles(string name, int[] dims, double[] values)
    {
        var payload = new byte[8 * values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(payload.AsSpan(8 * i), values[i]);
        }

        return Numeric(name, MatClass.Double, dims, MiDouble, payload);
    }

    public static byte[] Chars(string name, string text, bool utf16 = false) =>
        Matrix(MatClass.Char, [1, text.Length], name, Element(utf16 ? MiUInt16 : MiUtf8, (utf16 ? Encoding.Unicode : Encoding.UTF8).GetBytes(text)));

    public static byte[] Cell(string name, int[] dims, params byte[][] cells) =>
        Matrix(MatClass.Cell, dims, name, [.. cells.SelectMany(c => c)]);

    public static byte[] Struct(string name) => Matrix(MatClass.Struct, [1, 1], name, []);

    /// <summary>Wraps an miMATRIX element in an miCOMPRESSED one (zlib, no padding after it).</summary>
    public static byte[] Compressed(byte[] element)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(element);
        }

        var body = output.ToArray();
        return [.. Tag(MiCompressed, body.Length), .. body];
    }

    public static byte[] Element(int type, byte[] data) => [.. Tag(type, data.Length), .. data, .. new byte[(8 - data.Length % 8) % 8]];

    private static byte[] Matrix(MatClass @class, int[] dims, string name, byte[] rest, bool smallName = false)
    {
        var flags = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(flags, (uint)@class);
        var dimBytes = new byte[4 * dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(dimBytes.AsSpan(4 * i), dims[i]);
        }

        var nameBytes = Encoding.ASCII.GetBytes(name);
        byte[] nameElement;
        if (smallName && nameBytes.Length <= 4)
        {
            // Small data element: (length << 16) | type, then the bytes in the same 8-byte word.
            nameElement = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(nameElement, (uint)(nameBytes.Length << 16 | MiInt8));
            nameBytes.CopyTo(nameElement, 4);
        }
        else
        {
            nameElement = Element(MiInt8, nameBytes);
        }

        byte[] body = [.. Element(MiUInt32, flags), .. Element(MiInt32, dimBytes), .. nameElement, .. rest];
        return [.. Tag(MiMatrix, body.Length), .. body];
    }

    private static byte[] Tag(int type, int length)
    {
        var tag = new byte[8];
        BinaryPrimitives.WriteInt32LittleEndian(tag, type);
        BinaryPrimitives.WriteInt32LittleEndian(tag.AsSpan(4), length);
        return tag;
    }
}
