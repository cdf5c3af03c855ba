namespace Engine.Experiments.Data;

/// <summary>
/// All 32,460 original Omniglot images at 105×105, as one byte per pixel with 1 = stroke and
/// 0 = background (the files store the opposite), row-major, upright. Image i is drawer i mod 20
/// of character i / 20; characters are numbered background set first (964), then evaluation (659).
/// Kept as bytes (358 MB), not floats: turn only what you need into an <see cref="ImageSet"/>.
/// </summary>
public sealed class OmniglotImages
{
    public const int Side = 105;
    public const int Pixels = Side * Side;
    public const int Drawers = 20;

    public OmniglotImages(byte[] strokes, IReadOnlyList<string> alphabets, IReadOnlyList<OmniglotCharacter> characters, int backgroundCharacters)
    {
        if (strokes.LongLength != (long)characters.Count * Drawers * Pixels)
        {
            throw new ArgumentException($"OmniglotImages: {strokes.LongLength} bytes do not hold {characters.Count}×{Drawers} images of {Side}×{Side}.");
        }

        Strokes = strokes;
        Alphabets = alphabets;
        Characters = characters;
        BackgroundCharacters = backgroundCharacters;
    }

    public byte[] Strokes { get; }

    /// <summary>Alphabet names (folder names of the original zips), background alphabets first.</summary>
    public IReadOnlyList<string> Alphabets { get; }

    public IReadOnlyList<OmniglotCharacter> Characters { get; }

    public int BackgroundCharacters { get; }

    public int Count => Characters.Count * Drawers;

    /// <summary>Images of the background set (the first BackgroundCharacters × 20).</summary>
    public int BackgroundCount => BackgroundCharacters * Drawers;

    public ReadOnlySpan<byte> Image(int index) => Strokes.AsSpan(index * Pixels, Pixels);

    public int CharacterOf(int image) => image / Drawers;

    public int DrawerOf(int image) => image % Drawers;

    public int AlphabetOf(int image) => Characters[image / Drawers].Alphabet;

    /// <summary>The chosen images at full size as floats (0/1), labelled by alphabet.</summary>
    public ImageSet ToImageSet(IReadOnlyList<int> indices)
    {
        var pixels = new float[indices.Count * Pixels];
        var labels = new byte[indices.Count];
        for (var k = 0; k < indices.Count; k++)
        {
            var image = Image(indices[k]);
            var row = pixels.AsSpan(k * Pixels, Pixels);
            for (var p = 0; p < Pixels; p++)
            {
                row[p] = image[p];
            }

            labels[k] = (byte)AlphabetOf(indices[k]);
        }

        return new ImageSet(pixels, labels, Pixels);
    }
}
