using Engine.Core.Serialization;
using NUnit.Framework;

namespace Engine.Tests.Core.Serialization;

public class AtomicFileTests
{
    [Test]
    public void CrashMidWrite_LeavesThePreviousFileIntact_AndNoTempFile()
    {
        var dir = Directory.CreateTempSubdirectory("engine-atomic-").FullName;
        try
        {
            var path = Path.Combine(dir, "checkpoint.bin");
            AtomicFile.WriteAllText(path, "old complete content");
            Assert.Throws<IOException>(() => AtomicFile.Write(path, s =>
            {
                s.Write(new byte[1000]);
                throw new IOException("simulated crash");
            }));
            Assert.That(File.ReadAllText(path), Is.EqualTo("old complete content"));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1));

            AtomicFile.WriteAllText(path, "new");
            Assert.That(File.ReadAllText(path), Is.EqualTo("new"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
