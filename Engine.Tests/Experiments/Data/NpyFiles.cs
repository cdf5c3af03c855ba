using System.IO.Compression;
using System.Text;

namespace Engine.Tests.Experiments.Data;

/// <summary>Writes .npy arrays (format 1.0 or 2.0) and .npz archives for reader tests.</summary>
internal static class NpyFiles
{
    public static byte[] Encode(string descr, int[] shape, byte[] data, int version = 1, bool fortran = false, string? rawDict = null)
    {
        var shapeText = shape.Length == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        var dict = rawDict ?? $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shapeText}, }}";
        var prefix = version == 1 ? 10 : 12;
        var total = (prefix + dict.Length + 1 + 63) / 64 * 64;
        var header = dict.PadRight(total - prefix - 1) + "\n";
        using var output = new MemoryStream();
        output.Write([0x93, .. "NUMPY"u8, (byte)version, 0]);
        if (version == 1)
        {
            output.Write(BitConverter.GetBytes((ushort)header.Length));
        }
        else
        {
            output.Write(BitConverter.GetBytes((uint)header.Length));
        }

        output.Write(Encoding.Latin1.GetBytes(header));
        output.Write(data);
        return output.ToArray();
    }

    public static byte[] Int64(params long[] values) => values.SelectMany(BitConverter.GetBytes).ToArray();

    public static void WriteNpz(string path, bool compress, params (string Name, byte[] Npy)[] members)
    {
        using var file = System.IO.File.Create(path);
        using var zip = new ZipArchive(file, ZipArchiveMode.Create);
        foreach (var (name, npy) in members)
        {
            var entry = zip.CreateEntry(name + ".npy", compress ? CompressionLevel.Optimal : CompressionLevel.NoCompression);
            using var stream = entry.Open();
            stream.Write(npy);
        }
    }
}
