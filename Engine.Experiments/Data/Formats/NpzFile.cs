using System.IO.Compression;

namespace Engine.Experiments.Data.Formats;

/// <summary>
/// A NumPy .npz archive: a zip whose members are .npy files (stored or deflated). Members are named
/// with or without the ".npy" suffix, as numpy does. Every zip or .npy error, including one from
/// the zip library itself, becomes an <see cref="InvalidDataException"/> naming the archive and member.
/// </summary>
public sealed class NpzFile : IDisposable
{
    private readonly ZipArchive _zip;

    private NpzFile(string path, ZipArchive zip)
    {
        Path = path;
        _zip = zip;
    }

    public string Path { get; }

    /// <summary>Member names without the ".npy" suffix, in archive order.</summary>
    public IReadOnlyList<string> Members => _zip.Entries.Select(e => StripSuffix(e.FullName)).ToArray();

    /// <summary>Opens an archive; a file that is not a readable zip throws <see cref="InvalidDataException"/>.</summary>
    public static NpzFile Open(string path)
    {
        var file = File.OpenRead(path);
        try
        {
            return new NpzFile(path, new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: false));
        }
        catch (Exception e) when (IsFormatError(e))
        {
            file.Dispose();
            throw Wrap(path, "not a readable .npz (zip) archive", e);
        }
    }

    /// <summary>Reads a whole member.</summary>
    public NpyArray Read(string member) => Guard(member, (entry, source) =>
    {
        using var stream = entry.Open();
        return NpyReader.Read(stream, entry.Length, source);
    });

    /// <summary>The header of a member, without reading its data.</summary>
    public NpyHeader ReadHeader(string member) => Guard(member, (entry, source) =>
    {
        using var stream = entry.Open();
        var header = NpyReader.ReadHeader(stream, source);
        NpyReader.CheckLength(header, entry.Length, source);
        return header;
    });

    /// <summary>Reads a member's data straight into <paramref name="destination"/> (sized by the caller from <see cref="ReadHeader"/>), so large arrays are not copied twice.</summary>
    public NpyHeader ReadInto(string member, Memory<byte> destination) => Guard(member, (entry, source) =>
    {
        using var stream = entry.Open();
        var header = NpyReader.ReadHeader(stream, source);
        NpyReader.CheckLength(header, entry.Length, source);
        NpyReader.ReadData(stream, header, destination.Span, source);
        if (stream.ReadByte() != -1)
        {
            throw new InvalidDataException($"{source}: unexpected bytes after the .npy data.");
        }

        return header;
    });

    public void Dispose() => _zip.Dispose();

    private T Guard<T>(string member, Func<ZipArchiveEntry, string, T> read)
    {
        var name = StripSuffix(member);
        var source = $"{Path}:{name}.npy";
        ZipArchiveEntry? entry;
        try
        {
            entry = _zip.GetEntry(name + ".npy") ?? _zip.GetEntry(name);
        }
        catch (Exception e) when (IsFormatError(e))
        {
            throw Wrap(source, "unreadable zip directory", e);
        }

        if (entry is null)
        {
            throw new InvalidDataException($"{Path}: no member '{name}.npy' (the archive holds: {string.Join(", ", Members)}).");
        }

        try
        {
            return read(entry, source);
        }
        catch (Exception e) when (IsFormatError(e) && !(e is InvalidDataException && e.Message.StartsWith(source, StringComparison.Ordinal)))
        {
            throw Wrap(source, "corrupt compressed data", e);
        }
    }

    private static string StripSuffix(string name) => name.EndsWith(".npy", StringComparison.Ordinal) ? name[..^4] : name;

    /// <summary>What a damaged zip can make System.IO.Compression throw (besides our own messages).</summary>
    private static bool IsFormatError(Exception e) =>
        e is InvalidDataException or IOException or NotSupportedException or ArgumentException or IndexOutOfRangeException or OverflowException
        && e is not FileNotFoundException and not DirectoryNotFoundException and not UnauthorizedAccessException;

    private static InvalidDataException Wrap(string source, string what, Exception e) => new($"{source}: {what} ({e.Message}).", e);
}
