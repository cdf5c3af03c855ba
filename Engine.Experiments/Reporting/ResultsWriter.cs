using System.Text;

namespace Engine.Experiments.Reporting;

/// <summary>
/// Writes results.json and results.md so a reader never sees a half-written file: each goes to a
/// temporary file in the same folder (so the rename stays on one file system), is flushed to
/// disk, then moved over the old one.
/// </summary>
public static class ResultsWriter
{
    public const string JsonFile = "results.json";
    public const string MarkdownFile = "results.md";

    public static void Write(string folder, RunReport report)
    {
        Directory.CreateDirectory(folder);
        WriteAtomically(Path.Combine(folder, JsonFile), ResultsJson.Render(report));
        WriteAtomically(Path.Combine(folder, MarkdownFile), ResultsMarkdown.Render(report));
    }

    /// <summary>
    /// Replaces <paramref name="path"/> with <paramref name="text"/> via temp file + flush + rename.
    /// <paramref name="beforeMove"/> (tests only) sees the finished temp file's path just before the rename.
    /// </summary>
    public static void WriteAtomically(string path, string text, Action<string>? beforeMove = null)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text));
                stream.Flush(flushToDisk: true);
            }

            beforeMove?.Invoke(temp);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
