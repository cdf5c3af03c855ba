using System.IO.Compression;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

/// <summary>
/// Random damage to a valid file — truncation, byte flips, or both — fed to a reader: the reader
/// may succeed or throw <see cref="InvalidDataException"/>, nothing else (no crash, no other
/// exception type, no hang). Fixed seed, so a failure replays.
/// </summary>
internal static class ParserFuzz
{
    public const int Cases = 1000;

    public static void Run(byte[] valid, string fileName, Action<string> read, int seed, int cases = Cases)
    {
        var random = new Random(seed);
        var folder = Path.Combine(Path.GetTempPath(), "engine-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, fileName);
        var rejected = 0;
        try
        {
            for (var c = 0; c < cases; c++)
            {
                var bytes = Mutate(valid, random);
                File.WriteAllBytes(path, bytes);
                try
                {
                    read(path);
                }
                catch (InvalidDataException)
                {
                    rejected++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"case {c} (seed {seed}, {bytes.Length} of {valid.Length} bytes): {e.GetType().Name} instead of InvalidDataException: {e.Message}");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Most damage must be noticed; if nearly nothing is rejected, the mutations never reached the parser.
        Assert.That(rejected, Is.GreaterThan(cases / 4), "damaged files rejected");
    }

    public static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Mutate(byte[] valid, Random random)
    {
        var bytes = (byte[])valid.Clone();
        var kind = random.Next(3);
        if (kind != 0)
        {
            // Flip 1–4 bytes, biased towards the start where headers and tags live.
            var flips = 1 + random.Next(4);
            for (var f = 0; f < flips; f++)
            {
                var at = random.Next(2) == 0 ? random.Next(Math.Min(bytes.Length, 256)) : random.Next(bytes.Length);
                bytes[at] = (byte)random.Next(256);
            }
        }

        if (kind != 1)
        {
            bytes = bytes[..random.Next(bytes.Length)];
        }

        return bytes;
    }
}
