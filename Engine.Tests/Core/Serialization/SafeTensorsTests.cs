using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Engine.Core;
using Engine.Core.Serialization;
using Engine.Kernels;
using NUnit.Framework;

namespace Engine.Tests.Core.Serialization;

public class SafeTensorsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("engine-st-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void WrittenFile_FollowsTheFormat_ByteForByte()
    {
        var a = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var b = Tensor.FromArray([0.5, -0.25], 2);
        var path = Path.Combine(_dir, "w.safetensors");
        SafeTensors.Write(path, [("a", a), ("b", b)], new Dictionary<string, string> { ["step"] = "7" });

        var bytes = File.ReadAllBytes(path);
        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(n % 8, Is.Zero, "header padded to 8 bytes");
        var headerText = Encoding.UTF8.GetString(bytes, 8, n);
        Assert.That(headerText.TrimEnd(' '), Does.StartWith("{").And.EndWith("}"), "padding is trailing spaces");
        using var header = JsonDocument.Parse(headerText);
        var root = header.RootElement;
        Assert.That(root.GetProperty("__metadata__").GetProperty("step").GetString(), Is.EqualTo("7"));
        Assert.That(root.GetProperty("a").GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(root.GetProperty("a").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(root.GetProperty("a").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 0, 24 }));
        Assert.That(root.GetProperty("b").GetProperty("dtype").GetString(), Is.EqualTo("F64"));
        Assert.That(root.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { 24, 40 }));
        Assert.That(bytes.Length, Is.EqualTo(8 + n + 40));
        var data = bytes.AsSpan(8 + n);
        for (var i = 0; i < 6; i++)
        {
            Assert.That(BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..]), Is.EqualTo(i + 1f));
        }

        Assert.That(BinaryPrimitives.ReadDoubleLittleEndian(data[24..]), Is.EqualTo(0.5));
        Assert.That(BinaryPrimitives.ReadDoubleLittleEndian(data[32..]), Is.EqualTo(-0.25));
    }

    [Test]
    public void RoundTrip_RestoresValues_AndRefusesAnotherShape()
    {
        var w = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2);
        var path = Path.Combine(_dir, "r.safetensors");
        SafeTensors.Write(path, [("w", w)]);
        var target = Tensor.PersistentZeros(new Shape(2, 2));
        SafeTensors.LoadInto(path, [("w", target)]);
        Assert.That(target.ToFloatArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));

        var wrong = Tensor.PersistentZeros(new Shape(4));
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.LoadInto(path, [("w", wrong)]));
        Assert.That(ex!.Message, Does.Contain("[2, 2]").And.Contain("[4]"));
    }

    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4]}}", 8, "needs 8 bytes")]
    [TestCase("{\"a\":{\"dtype\":\"I8\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2, "unsupported dtype")]
    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, "expected 0")]
    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8, "cover 4 bytes")]
    [TestCase("[1,2]", 0, "not a JSON object")]
    [TestCase("{\"a\":", 0, "not valid JSON")]
    public void MalformedHeaders_AreRejected_WithTheReason(string header, int dataBytes, string reason)
    {
        var json = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + json.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(file, (ulong)json.Length);
        json.CopyTo(file, 8);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensors.Parse("x.safetensors", file));
        Assert.That(ex!.Message, Does.Contain(reason));
    }

    [Test]
    public void Fuzz_TruncationsAndByteFlips_OnlyEverRaiseTheFormatException()
    {
        var path = Path.Combine(_dir, "f.safetensors");
        SafeTensors.Write(path, [("a", Tensor.FromArray([1f, 2f, 3f], 3)), ("b", Tensor.FromArray([4.0], 1))], new Dictionary<string, string> { ["k"] = "v" });
        var original = File.ReadAllBytes(path);
        var random = new System.Random(2024);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])original.Clone();
            if (i % 2 == 0)
            {
                Array.Resize(ref bytes, random.Next(bytes.Length));
            }
            else
            {
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }
            }

            try
            {
                SafeTensors.Parse("fuzz", bytes);
            }
            catch (SafeTensorsFormatException)
            {
                // the documented failure
            }
        }
    }
}

public class CheckpointTests
{
    [Test]
    public void SaveAndLoad_ResumesTrainingExactly()
    {
        var dir = Directory.CreateTempSubdirectory("engine-ckpt-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.safetensors");
            var x = Tensor.FromArray(Enumerable.Range(0, 40).Select(i => (float)((i * 7) % 2)).ToArray(), 5, 8);
            (Engine.Models.Vae.MlpVae, Engine.Core.Optim.Adam) Make()
            {
                var vae = new Engine.Models.Vae.MlpVae(new Engine.Models.Vae.MlpVaeConfig(8, 6, 1, 2), new Rng(1));
                return (vae, new Engine.Core.Optim.Adam(vae.Parameters()));
            }

            double Step(Engine.Models.Vae.MlpVae vae, Engine.Core.Optim.Adam adam, Rng noise)
            {
                using var tape = new Tape();
                var loss = vae.Elbo(x, noise).Loss;
                adam.ZeroGrad();
                tape.Backward(loss);
                adam.Step();
                return loss.Item();
            }

            var (reference, referenceAdam) = Make();
            var referenceNoise = new Rng(5);
            var expected = Enumerable.Range(0, 6).Select(_ => Step(reference, referenceAdam, referenceNoise)).ToArray();

            var (first, firstAdam) = Make();
            var noise = new Rng(5);
            for (var i = 0; i < 3; i++)
            {
                Step(first, firstAdam, noise);
            }

            Checkpoint.Save(path, first, firstAdam, new Dictionary<string, string> { ["noise.counter"] = noise.Counter.ToString() });
            var (resumed, resumedAdam) = Make();
            var state = Checkpoint.Load(path, resumed, resumedAdam);
            var resumedNoise = new Rng(5, ulong.Parse(state["noise.counter"]));
            var rest = Enumerable.Range(0, 3).Select(_ => Step(resumed, resumedAdam, resumedNoise)).ToArray();
            Assert.That(rest, Is.EqualTo(expected[3..]), "bitwise-identical losses after resuming");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
