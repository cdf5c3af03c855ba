using System.Security.Cryptography;

namespace Engine.Experiments.Data.Integrity;

/// <summary>SHA-256 of a file, as lower-case hex (the form sha256sum prints).</summary>
public static class Sha256File
{
    public static string Compute(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        return Convert.ToHexStringLower(SHA256.HashData(file));
    }
}
