namespace Engine.Experiments.Data;

/// <summary>
/// What a dataset folder must contain, how to check it and how to get it. Each required file may
/// exist under any of its alternative names (e.g. gzipped or not); the folder is
/// <c>&lt;data root&gt;/&lt;Name&gt;</c>.
/// </summary>
/// <param name="Name">Folder name under a data root, also the name shown in errors ("mnist").</param>
/// <param name="RequiredFiles">One entry per file; each lists acceptable names, preferred first.</param>
/// <param name="HowToObtain">One sentence telling the user how to get the files.</param>
/// <param name="Checksums">
/// File name → the SHA-256s (lower-case hex) accepted for it. When the table is non-empty every
/// file found must match one of its entries (see <see cref="Integrity.DatasetVerifier"/>); null or
/// empty means the files are not verified (tests' toy datasets).
/// </param>
/// <param name="Sources">Where each file can be downloaded from, with its SHA-256 (may cover only some files, or none).</param>
public sealed record DatasetInfo(
    string Name,
    IReadOnlyList<string[]> RequiredFiles,
    string HowToObtain,
    IReadOnlyDictionary<string, string[]>? Checksums = null,
    IReadOnlyList<Integrity.RemoteFile>? Sources = null)
{
    /// <summary>True when <paramref name="folder"/> holds every required file under some accepted name.</summary>
    public bool IsPresentIn(string folder) => RequiredFiles.All(names => Locate(folder, names) is not null);

    /// <summary>Path of the first existing alternative of <paramref name="names"/> in <paramref name="folder"/>, or null.</summary>
    public static string? Locate(string folder, string[] names) =>
        names.Select(n => Path.Combine(folder, n)).FirstOrDefault(File.Exists);

    /// <summary>The existing file for <paramref name="names"/> in <paramref name="folder"/>; throws naming the dataset, folder and names.</summary>
    public string Require(string folder, string[] names) =>
        Locate(folder, names) ?? throw new DatasetNotFoundException($"dataset '{Name}': none of {string.Join(", ", names)} is in {folder}. {HowToObtain}");

    /// <summary>"a[.gz], b[.gz]" style summary of the required files for error messages.</summary>
    public string DescribeFiles() => string.Join(", ", RequiredFiles.Select(names => string.Join(" or ", names)));
}
