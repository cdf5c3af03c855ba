using Engine.Experiments.Data;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

public class IdxFuzzTests
{
    [TestCase(true)]
    [TestCase(false)]
    public void Fuzz_TruncationsAndByteFlips_OnlyInvalidDataException(bool gzip)
    {
        var raw = IdxFiles.Encode([6, 5, 4], Enumerable.Range(0, 120).Select(i => (byte)(i * 13)).ToArray());

        ParserFuzz.Run(gzip ? ParserFuzz.Gzip(raw) : raw, "fuzz-idx3-ubyte", path => IdxReader.Read(path), seed: gzip ? 401 : 402);
    }
}
