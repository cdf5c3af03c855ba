namespace Engine.Experiments;

/// <summary>Finds the checkout: the nearest folder at or above a start folder that holds Engine.sln.</summary>
public static class RepositoryRoot
{
    public const string Marker = "Engine.sln";

    /// <summary>The first repository root found walking up from each start folder in turn, or null.</summary>
    public static string? Find(IEnumerable<string> startDirectories)
    {
        foreach (var start in startDirectories)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, Marker)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>Walks up from the executable's folder, then from the current directory.</summary>
    public static string? FindDefault() => Find([AppContext.BaseDirectory, Directory.GetCurrentDirectory()]);
}
