using Engine.Experiments.Data;
using Engine.Experiments.Data.Formats;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments.Data;

/// <summary>The dataset loaders on small synthetic files written in each dataset's real layout: orientation, polarity, labels, splits and errors.</summary>
public class DatasetLoaderTests
{
    [Test]
    public void Caltech_TransposesColumnMajorRows_InvertsPolarity_ShiftsLabels()
    {
        using var temp = new TempDirectory();
        var counts = new Dictionary<string, int> { ["train"] = Caltech101Silhouettes.TrainCount, ["val"] = Caltech101Silhouettes.ValidationCount, ["test"] = Caltech101Silhouettes.TestCount };
        var elements = new List<byte[]> { MatFiles.Compressed(MatFiles.Cell("classnames", [1, 101], Enumerable.Range(1, 101).Select(i => MatFiles.Chars("", $"class {i}")).ToArray())) };
        foreach (var (split, n) in counts)
        {
            // Background is 1 in the file. Image i has its object (0) at row 2, column 5 only: column-major index 5·28 + 2.
            var data = Enumerable.Repeat((byte)1, n * 784).ToArray();
            for (var i = 0; i < n; i++)
            {
                data[(5 * 28 + 2) * n + i] = 0;
            }

            elements.Add(MatFiles.Compressed(MatFiles.UInt8($"{split}_data", MatClass.Double, [n, 784], data)));
            elements.Add(MatFiles.Compressed(MatFiles.UInt8($"{split}_labels", MatClass.Double, [n, 1], Enumerable.Range(0, n).Select(i => (byte)(i % 101 + 1)).ToArray())));
        }

        var folder = temp.Sub("caltech101_silhouettes");
        File.WriteAllBytes(Path.Combine(folder, "caltech101_silhouettes_28_split1.mat"), MatFiles.File([.. elements]));

        var d = Caltech101Silhouettes.Load(folder);

        Assert.That((d.Train.Count, d.Validation!.Count, d.Test.Count), Is.EqualTo((4100, 2264, 2307)));
        Assert.That(d.ClassNames![0], Is.EqualTo("class 1"));
        var first = d.Test.Row(0).ToArray();
        Assert.That(first[2 * 28 + 5], Is.EqualTo(1f), "object bright at row 2, column 5 (row-major)");
        Assert.That(first.Sum(), Is.EqualTo(1f), "everything else dark");
        Assert.That(d.Train.Labels[..3], Is.EqualTo(new byte[] { 0, 1, 2 }));
    }

    [Test]
    public void Frey_ColumnIsImage_RowMajor28x20_BinCentres_SeededSplit()
    {
        using var temp = new TempDirectory();
        var pixels = new byte[560 * 1965];
        for (var j = 0; j < 1965; j++)
        {
            pixels[j * 560] = (byte)(j % 256); // image j's top-left pixel
            pixels[j * 560 + 1 * 20 + 3] = 200; // row 1, column 3
        }

        var folder = temp.Sub("frey_faces");
        File.WriteAllBytes(Path.Combine(folder, "frey_rawface.mat"), MatFiles.File(MatFiles.UInt8("ff", MatClass.UInt8, [560, 1965], pixels, smallName: true)));

        var all = FreyFaces.LoadAll(folder);
        var d = FreyFaces.Load(folder);
        var again = FreyFaces.Load(folder);

        Assert.That(all.Count, Is.EqualTo(1965));
        Assert.That(all.Row(7)[0], Is.EqualTo(7.5f / 256));
        Assert.That(all.Row(7)[1 * 20 + 3], Is.EqualTo(200.5f / 256));
        Assert.That((d.Train.Count, d.Validation!.Count, d.Test.Count, d.Height, d.Width), Is.EqualTo((1565, 200, 200, 28, 20)));
        Assert.That(d.Train.Pixels, Is.EqualTo(again.Train.Pixels), "same seed, same split");
        var ids = d.Splits().SelectMany(s => Enumerable.Range(0, s.Images.Count).Select(i => s.Images.Row(i)[0])).ToArray();
        Assert.That(ids.Length, Is.EqualTo(1965));
        Assert.That(d.Train.Pixels.Where((_, i) => i % 560 == 0).Take(20), Is.Not.Ordered, "shuffled");
    }

    [Test]
    public void Omniglot_BoolFF_IsBackground_StrokesBecomeOne_LabelsFromCsv()
    {
        using var temp = new TempDirectory();
        var folder = WriteTinyOmniglot(temp);

        var images = Omniglot.Load(folder);

        Assert.That(images.Count, Is.EqualTo(5 * 20));
        Assert.That(images.Alphabets, Is.EqualTo(new[] { "Alpha", "Beta", "Gamma" }));
        Assert.That(images.BackgroundCount, Is.EqualTo(60));
        var image = images.Image(42).ToArray(); // character 2, drawer 2
        Assert.That(image.Count(v => v == 1), Is.EqualTo(42 % 7 + 1), "stroke pixels = the bytes stored as 0x00");
        Assert.That(image[0], Is.EqualTo(1), "the first pixel was stored False = stroke");
        Assert.That(images.AlphabetOf(42), Is.EqualTo(1));
        Assert.That(images.Characters[3].Name, Is.EqualTo("character01"));
        Assert.That(images.Characters[3].Set, Is.EqualTo("evaluation"));
    }

    [Test]
    public void Omniglot_Dataset28_SplitsByDrawer_AreaAveragesStrokes()
    {
        using var temp = new TempDirectory();
        var images = Omniglot.Load(WriteTinyOmniglot(temp));

        var d = Omniglot.Dataset28(images, validationCount: 10);

        Assert.That((d.Images.Train.Count, d.Images.Validation!.Count, d.Images.Test.Count), Is.EqualTo((65, 10, 25)));
        Assert.That(d.TestCharacters, Is.EqualTo(Enumerable.Range(0, 5).SelectMany(c => Enumerable.Repeat(c, 5))));
        Assert.That(d.Images.Train.Pixels.Max(), Is.LessThanOrEqualTo(1f));
        var total105 = Enumerable.Range(0, images.Count).Where(i => images.DrawerOf(i) >= 15).Sum(i => images.Image(i).ToArray().Sum(b => b));
        var total28 = d.Images.Test.Pixels.Sum() * (105.0 * 105 / (28 * 28));
        Assert.That(total28, Is.EqualTo(total105).Within(1e-3 * total105), "area averaging keeps the ink mass");
    }

    [Test]
    public void Omniglot_CsvDisagreeingWithNpz_NamesBoth()
    {
        using var temp = new TempDirectory();
        var folder = WriteTinyOmniglot(temp);
        File.AppendAllText(Path.Combine(folder, "omniglot_characters.csv"), "evaluation,2,6,Gamma,character03\n");

        var e = Assert.Throws<InvalidDataException>(() => Omniglot.Load(folder));

        Assert.That(e!.Message, Does.Contain("images_evaluation.npz:images.npy").And.Contain("(3, 20, 105, 105)").And.Contain("found (2, 20, 105, 105) |b1"));
    }

    [Test]
    public void MissingFile_NamesDatasetFolderAndHowToObtain()
    {
        using var temp = new TempDirectory();

        var e = Assert.Throws<DatasetNotFoundException>(() => Caltech101Silhouettes.Load(temp.Path));

        Assert.That(e!.Message, Does.Contain("dataset 'caltech101_silhouettes'").And.Contain(temp.Path).And.Contain("--download"));
    }

    /// <summary>Background: 3 characters (alphabets Alpha, Alpha, Beta); evaluation: 2 (Gamma). Image k has k % 7 + 1 stroke pixels (stored 0x00) at the start, the rest 0xFF.</summary>
    private static string WriteTinyOmniglot(TempDirectory temp)
    {
        var folder = temp.Sub("omniglot");
        File.WriteAllText(Path.Combine(folder, "omniglot_characters.csv"),
            "set,npz_row,char_id,alphabet,character\nbackground,0,1,Alpha,character01\nbackground,1,2,Alpha,character02\nbackground,2,3,Beta,character01\n"
            + "evaluation,0,4,Gamma,character01\nevaluation,1,5,Gamma,character02\n");
        var image = 0;
        foreach (var (file, rows) in new[] { ("images_background.npz", 3), ("images_evaluation.npz", 2) })
        {
            var data = new byte[rows * 20 * 105 * 105];
            Array.Fill(data, (byte)0xFF);
            for (var k = 0; k < rows * 20; k++, image++)
            {
                Array.Clear(data, k * 105 * 105, image % 7 + 1);
            }

            var labels = NpyFiles.Int64(Enumerable.Range(0, rows * 20).Select(i => (long)(i / 20)).ToArray());
            NpyFiles.WriteNpz(Path.Combine(folder, file), true, ("images", NpyFiles.Encode("|b1", [rows, 20, 105, 105], data)), ("labels", NpyFiles.Encode("<i8", [rows, 20], labels)));
        }

        return folder;
    }
}
