using Engine.Core;
using Engine.Experiments.Data.Formats;
using Engine.Experiments.Data.Integrity;
using Engine.Experiments.Data.Transforms;

namespace Engine.Experiments.Data;

/// <summary>
/// Lake et al.'s Omniglot from the two .npz files of the shared copy (each a bool array
/// (C, 20, 105, 105) with True = white background, stored as 0x00/0xFF, and int64 labels (C, 20)
/// equal to the row) plus omniglot_characters.csv, which names each row's alphabet and character.
/// <para>
/// The 28×28 version (spec/datasets.md §3) is ours, not the IWAE chardata.mat (absent here):
/// strokes made bright (1), then area-averaged 105 → 28 (<see cref="AreaDownsample"/>), grey values
/// in [0, 1]. Split across all 50 alphabets: drawers 1–15 of every character → the training pool
/// (24,345 images, the size of chardata's training set), drawers 16–20 → test (8,115); the pool is
/// shuffled with a recorded seed and its last 1,345 become validation ⇒ 23,000 / 1,345 / 8,115.
/// Labels are alphabets (the task unit, §3); character indices come alongside.
/// </para>
/// </summary>
public static class Omniglot
{
    public const int Side28 = 28;
    public const int TrainDrawers = 15;
    public const int ValidationCount = 1_345;
    public const ulong DefaultSplitSeed = 123;

    private const string CsvName = "omniglot_characters.csv";

    private static readonly (string Set, string File)[] Sets = [("background", "images_background.npz"), ("evaluation", "images_evaluation.npz")];

    public static DatasetInfo Info { get; } = new(
        "omniglot",
        [["images_background.npz"], ["images_evaluation.npz"], [CsvName]],
        "copy shared/datasets/omniglot (images_background.npz, images_evaluation.npz and omniglot_characters.csv; see its MANIFEST.md for provenance).",
        Checksums.Omniglot,
        DownloadSources.Omniglot);

    /// <summary>Reads every 105×105 image, strokes = 1, with alphabet and character tables; throws naming the file on any inconsistency.</summary>
    public static OmniglotImages Load(string folder)
    {
        var (alphabets, characters, perSet) = ReadCharacters(Info.Require(folder, [CsvName]));
        var strokes = new byte[(long)characters.Count * OmniglotImages.Drawers * OmniglotImages.Pixels];
        long offset = 0;
        for (var s = 0; s < Sets.Length; s++)
        {
            var path = Info.Require(folder, [Sets[s].File]);
            var rows = perSet[s];
            using var npz = NpzFile.Open(path);
            var header = npz.ReadHeader("images");
            int[] expected = [rows, OmniglotImages.Drawers, OmniglotImages.Side, OmniglotImages.Side];
            if (header.Descr != "|b1" || header.FortranOrder || !header.Shape.SequenceEqual(expected))
            {
                throw new InvalidDataException($"{path}:images.npy: expected a C-order bool array ({string.Join(", ", expected)}) matching {CsvName}, found {header.DescribeShape()}{(header.FortranOrder ? " in Fortran order" : "")}.");
            }

            var length = (int)header.DataBytes;
            npz.ReadInto("images", strokes.AsMemory((int)offset, length));
            CheckLabels(npz.Read("labels"), rows, path);
            offset += length;
        }

        // The files store True (any non-zero byte; 0xFF here) for the white background: strokes become 1.
        var all = strokes.AsSpan();
        if (all.IndexOfAnyExcept((byte)0x00, (byte)0xFF) < 0)
        {
            all.Replace((byte)0x00, (byte)0x01); // vectorised: 0 → 1 first, then 0xFF → 0
            all.Replace((byte)0xFF, (byte)0x00);
        }
        else
        {
            for (var i = 0; i < all.Length; i++)
            {
                all[i] = all[i] == 0 ? (byte)1 : (byte)0;
            }
        }

        return new OmniglotImages(strokes, alphabets, characters, perSet[0]);
    }

    /// <summary>The documented 28×28 version with its 23,000 / 1,345 / 8,115 split (see the class summary).</summary>
    /// <param name="validationCount">Images moved from the shuffled training pool to validation (1,345 as in IWAE/VampPrior).</param>
    public static OmniglotDataset Dataset28(OmniglotImages images, ulong splitSeed = DefaultSplitSeed, int validationCount = ValidationCount)
    {
        var pool = Enumerable.Range(0, images.Count).Where(i => images.DrawerOf(i) < TrainDrawers).ToArray();
        var test = Enumerable.Range(0, images.Count).Where(i => images.DrawerOf(i) >= TrainDrawers).ToArray();
        if (validationCount < 0 || validationCount >= pool.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(validationCount), $"Omniglot.Dataset28: {validationCount} validation images from a pool of {pool.Length}.");
        }

        var order = new Rng(splitSeed).Permutation(pool.Length);
        var shuffled = order.Select(k => pool[k]).ToArray();
        var train = shuffled[..^validationCount];
        var validation = shuffled[^validationCount..];
        var resize = new AreaDownsample(OmniglotImages.Side, OmniglotImages.Side, Side28, Side28);
        return new OmniglotDataset(
            new ImageDataset(
                "omniglot",
                Downsample(images, train, resize),
                Downsample(images, validation, resize),
                Downsample(images, test, resize),
                Side28,
                Side28,
                images.Alphabets,
                $"our 28×28 area-averaged downsampling of the 105×105 originals (not IWAE's chardata.mat); drawers 1–15 train pool shuffled with seed {splitSeed} (last {validationCount} = validation), drawers 16–20 test; labels = alphabet").Checked(),
            train.Select(images.CharacterOf).ToArray(),
            validation.Select(images.CharacterOf).ToArray(),
            test.Select(images.CharacterOf).ToArray());
    }

    /// <summary>Area-averaged 28×28 copies of the chosen images, labelled by alphabet.</summary>
    public static ImageSet Downsample(OmniglotImages images, IReadOnlyList<int> indices, AreaDownsample resize)
    {
        var dim = resize.OutHeight * resize.OutWidth;
        var pixels = new float[indices.Count * dim];
        var labels = new byte[indices.Count];
        Parallel.For(0, indices.Count, k =>
        {
            resize.Apply(images.Image(indices[k]), pixels.AsSpan(k * dim, dim));
            labels[k] = (byte)images.AlphabetOf(indices[k]);
        });
        return new ImageSet(pixels, labels, dim);
    }

    private static void CheckLabels(NpyArray labels, int rows, string path)
    {
        if (labels.Header.Descr[1] is not ('i' or 'u') || !labels.Shape.SequenceEqual([rows, OmniglotImages.Drawers]))
        {
            throw new InvalidDataException($"{path}:labels.npy: expected integers of shape ({rows}, {OmniglotImages.Drawers}), found {labels.Header.DescribeShape()}.");
        }

        var values = labels.ToInt64();
        for (var i = 0; i < values.Length; i++)
        {
            if (values[i] != i / OmniglotImages.Drawers)
            {
                throw new InvalidDataException($"{path}:labels.npy: label[{i / OmniglotImages.Drawers}, {i % OmniglotImages.Drawers}] is {values[i]}, expected its row {i / OmniglotImages.Drawers}.");
            }
        }
    }

    /// <summary>The CSV's rows, checked: background rows 0…C₁−1 then evaluation rows 0…C₂−1, in order.</summary>
    private static (List<string> Alphabets, List<OmniglotCharacter> Characters, int[] PerSet) ReadCharacters(string path)
    {
        var csv = CsvReader.Read(path);
        int set = csv.Column("set"), row = csv.Column("npz_row"), id = csv.Column("char_id"), alphabet = csv.Column("alphabet"), character = csv.Column("character");
        var alphabets = new List<string>();
        var characters = new List<OmniglotCharacter>();
        var perSet = new int[Sets.Length];
        var current = 0;
        for (var r = 0; r < csv.Rows.Count; r++)
        {
            var fields = csv.Rows[r];
            var s = Array.FindIndex(Sets, x => x.Set == fields[set]);
            if (s < current || s < 0)
            {
                throw new InvalidDataException($"{path}: line {r + 2}: set '{fields[set]}' out of order (expected background rows, then evaluation rows).");
            }

            current = s;
            if (csv.Int(r, row) != perSet[s])
            {
                throw new InvalidDataException($"{path}: line {r + 2}: npz_row {fields[row]}, expected {perSet[s]} (rows must be consecutive from 0 in each set).");
            }

            var a = alphabets.IndexOf(fields[alphabet]);
            if (a < 0)
            {
                alphabets.Add(fields[alphabet]);
                a = alphabets.Count - 1;
            }

            characters.Add(new OmniglotCharacter(characters.Count, fields[set], perSet[s], csv.Int(r, id), a, fields[character]));
            perSet[s]++;
        }

        if (perSet.Any(n => n == 0))
        {
            throw new InvalidDataException($"{path}: no rows for set '{Sets[Array.IndexOf(perSet, 0)].Set}'.");
        }

        if (alphabets.Count > byte.MaxValue + 1)
        {
            throw new InvalidDataException($"{path}: {alphabets.Count} alphabets do not fit byte labels.");
        }

        return (alphabets, characters, perSet);
    }
}
