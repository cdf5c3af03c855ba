using System.Security.Cryptography;

namespace Engine.Experiments.Data.Integrity;

/// <summary>
/// Fetches the files of a dataset for users with internet access. Each file streams into a
/// temporary file beside its target while being hashed; only when the SHA-256 (and size, when
/// known) match is it renamed into place, atomically — so a failed, cut-off or tampered download
/// never leaves a file that looks complete. Files already present are left alone (the verifier
/// checks them before use).
/// </summary>
public sealed class DatasetDownloader(HttpClient http)
{
    /// <summary>
    /// Downloads every missing file of <paramref name="dataset"/> into <c>root/Name</c> and returns
    /// the paths written. Refuses up front, downloading nothing, when a missing file has no source.
    /// </summary>
    public IReadOnlyList<string> Download(DatasetInfo dataset, string root, TextWriter? log = null)
    {
        var folder = Path.Combine(root, dataset.Name);
        var missing = dataset.RequiredFiles.Where(names => DatasetInfo.Locate(folder, names) is null).ToArray();
        var plan = new List<RemoteFile>();
        var unavailable = new List<string>();
        foreach (var names in missing)
        {
            var source = dataset.Sources?.FirstOrDefault(s => names.Contains(s.FileName, StringComparer.Ordinal));
            if (source is null)
            {
                unavailable.Add(string.Join(" or ", names));
            }
            else
            {
                plan.Add(source);
            }
        }

        if (unavailable.Count > 0)
        {
            throw new ExperimentException($"dataset '{dataset.Name}' cannot be downloaded: no source is known for {string.Join(", ", unavailable)}. {dataset.HowToObtain}");
        }

        var written = new List<string>();
        foreach (var file in plan)
        {
            written.Add(DownloadFile(file, folder, log));
        }

        return written;
    }

    /// <summary>Downloads one file into <paramref name="folder"/> (created if needed), verified; returns its path.</summary>
    public string DownloadFile(RemoteFile file, string folder, TextWriter? log = null)
    {
        if (file.FileName.Length == 0 || file.FileName != Path.GetFileName(file.FileName))
        {
            throw new ArgumentException($"DatasetDownloader: '{file.FileName}' is not a plain file name.");
        }

        Directory.CreateDirectory(folder);
        var target = Path.Combine(folder, file.FileName);
        var temp = Path.Combine(folder, $".{file.FileName}.{Guid.NewGuid():N}.part");
        log?.WriteLine($"downloading {file.Url} -> {target}");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, file.Url);
            using var response = Send(request, file.Url);
            if (!response.IsSuccessStatusCode)
            {
                throw new ExperimentException($"download of {file.Url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            long total = 0;
            string found;
            using (var body = response.Content.ReadAsStream())
            using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[1 << 16];
                int n;
                while ((n = Read(body, buffer, file.Url)) > 0)
                {
                    total += n;
                    if (file.Size is { } limit && total > limit)
                    {
                        throw new InvalidDataException($"{file.Url}: the server sent more than the expected {limit} bytes; nothing was saved.");
                    }

                    sha.AppendData(buffer, 0, n);
                    output.Write(buffer, 0, n);
                }

                output.Flush(flushToDisk: true);
                found = Convert.ToHexStringLower(sha.GetHashAndReset());
            }

            if (!string.Equals(found, file.Sha256, StringComparison.OrdinalIgnoreCase) || (file.Size is { } size && size != total))
            {
                var expectedSize = file.Size is { } s ? $" ({s} bytes)" : "";
                throw new InvalidDataException($"{file.Url}: downloaded {total} bytes with SHA-256 {found}; expected {file.Sha256}{expectedSize}. Nothing was saved.");
            }

            File.Move(temp, target, overwrite: true);
            return target;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    private HttpResponseMessage Send(HttpRequestMessage request, string url)
    {
        try
        {
            return http.Send(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException e)
        {
            throw new ExperimentException($"download of {url} failed: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            throw new ExperimentException($"download of {url} timed out after {http.Timeout.TotalSeconds:0} s.");
        }
    }

    private static int Read(Stream body, byte[] buffer, string url)
    {
        try
        {
            return body.Read(buffer);
        }
        catch (IOException e)
        {
            throw new ExperimentException($"download of {url} was cut off: {e.Message}");
        }
    }
}
