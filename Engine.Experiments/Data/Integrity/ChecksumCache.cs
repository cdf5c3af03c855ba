using System.Globalization;
using Engine.Core.Serialization;

namespace Engine.Experiments.Data.Integrity;

/// <summary>
/// Remembers the SHA-256 of files keyed by full path, size and last-write time, so a dataset is
/// hashed once, not on every run; a changed, replaced or touched file is hashed again. Kept as a
/// small tab-separated file in the user's cache folder (never in shared/ or the repository); when
/// that folder cannot be written the cache lives in memory only, which is always safe.
/// </summary>
public sealed class ChecksumCache
{
    public const string FileName = "dataset-sha256.tsv";

    private readonly string? _file;
    private readonly object _gate = new();
    private Dictionary<string, string>? _entries;

    /// <param name="file">The cache file, or null for an in-memory cache.</param>
    public ChecksumCache(string? file) => _file = file;

    public string? File => _file;

    /// <summary><c>$XDG_CACHE_HOME/engine/</c> or <c>~/.cache/engine/</c> + <see cref="FileName"/>; null when there is no home folder.</summary>
    public static string? DefaultFile()
    {
        var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrWhiteSpace(root))
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            if (string.IsNullOrWhiteSpace(home))
            {
                return null;
            }

            root = Path.Combine(home, ".cache");
        }

        return Path.Combine(root, "engine", FileName);
    }

    /// <summary>The file's SHA-256, from the cache when its path, size and mtime match an entry, else computed (and remembered).</summary>
    public string Hash(string path, out bool fromCache)
    {
        var info = new FileInfo(path);
        var key = Key(info);
        lock (_gate)
        {
            _entries ??= Load();
            if (_entries.TryGetValue(key, out var known))
            {
                fromCache = true;
                return known;
            }
        }

        var sha = Sha256File.Compute(info.FullName);
        lock (_gate)
        {
            _entries![key] = sha;
            Save();
        }

        fromCache = false;
        return sha;
    }

    private static string Key(FileInfo info) =>
        string.Create(CultureInfo.InvariantCulture, $"{info.Length}\t{info.LastWriteTimeUtc.Ticks}\t{info.FullName}");

    private Dictionary<string, string> Load()
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_file is null || !System.IO.File.Exists(_file))
        {
            return entries;
        }

        try
        {
            foreach (var line in System.IO.File.ReadLines(_file))
            {
                // sha \t size \t ticks \t path — a malformed line is ignored: the cache only ever saves work.
                var tab = line.IndexOf('\t');
                if (tab == 64 && line.Count(c => c == '\t') >= 3)
                {
                    entries[line[(tab + 1)..]] = line[..tab];
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // unreadable cache: start empty
        }

        return entries;
    }

    private void Save()
    {
        if (_file is null)
        {
            return;
        }

        try
        {
            var lines = _entries!.Select(e => $"{e.Value}\t{e.Key}").Order(StringComparer.Ordinal);
            AtomicFile.WriteAllText(_file, string.Join('\n', lines) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // read-only home or full disk: keep the in-memory entries and carry on
        }
    }
}
