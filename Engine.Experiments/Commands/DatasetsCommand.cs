using System.CommandLine;
using System.Diagnostics;
using Engine.Experiments.Data;
using Engine.Experiments.Data.Integrity;
using Engine.Experiments.Reporting.Figures;

namespace Engine.Experiments.Commands;

/// <summary>
/// <c>datasets</c>: for every catalogue dataset, where its files were found (or every place searched
/// and how to obtain it), whether their SHA-256s verified, its split sizes, and a PNG grid of its
/// first 64 training images in <c>--out</c>. <c>--download</c> first fetches missing datasets that
/// have public sources into the <c>--data</c> folder. Exit code: <see cref="ExitCodes.Failure"/> when
/// a dataset that was found fails verification or loading; a missing dataset is reported, not an error.
/// </summary>
public static class DatasetsCommand
{
    public const string DefaultOut = "results/datasets";
    private const int PreviewCount = 64;

    public static Command Create(TextWriter output)
    {
        var data = new Option<string?>("--data") { Description = $"Datasets folder (searched first; then ${DataDirectory.EnvironmentVariable}, ../shared/datasets beside the repository, {DataDirectory.SystemDirectory}); --download saves there" };
        var outDir = new Option<string>("--out") { Description = "Folder for the preview grids (<id>.png)", DefaultValueFactory = _ => DefaultOut };
        var only = new Option<string?>("--only") { Description = "Only datasets whose id starts with this prefix" };
        var download = new Option<bool>("--download") { Description = "Download missing datasets that have public sources into the --data folder first (checksums verified before saving)" };
        var command = new Command("datasets", "List the datasets: where found, checksum status, split sizes; write preview grids") { data, outDir, only, download };
        command.SetAction(parse => Run(
            DataDirectory.FromEnvironment(parse.GetValue(data)),
            parse.GetValue(data),
            parse.GetRequiredValue(outDir),
            parse.GetValue(only),
            parse.GetValue(download),
            output));
        return command;
    }

    public static int Run(DataDirectory resolver, string? dataFlag, string outDir, string? only, bool download, TextWriter output)
    {
        var entries = DatasetCatalog.Match(only);
        if (entries.Count == 0)
        {
            throw new ExperimentException($"no dataset id starts with '{only}'; ids: {string.Join(", ", DatasetCatalog.All.Select(e => e.Id))}.", ExitCodes.Usage);
        }

        if (download)
        {
            Download(resolver, dataFlag, entries, output);
        }

        var failures = 0;
        var verified = new Dictionary<DatasetInfo, string>();
        foreach (var entry in entries)
        {
            output.WriteLine($"{entry.Id}: {entry.Description}");
            var folder = resolver.TryFind(entry.Info);
            if (folder is null)
            {
                output.WriteLine($"  found:    MISSING — {resolver.DescribeMissing(entry.Info)}");
                continue;
            }

            output.WriteLine($"  found:    {folder} ({Origin(resolver, entry.Info, folder)})");
            try
            {
                if (!verified.TryGetValue(entry.Info, out var status))
                {
                    var checks = resolver.Verifier.Verify(entry.Info, folder);
                    status = checks.Count == 0
                        ? "no checksums recorded"
                        : $"verified ({checks.Count} files SHA-256 OK, {checks.Count(c => c.FromCache)} from the cache)";
                    verified[entry.Info] = status;
                }

                output.WriteLine($"  checksum: {status}");
                var clock = Stopwatch.StartNew();
                var loaded = entry.Load(folder);
                var d = loaded.Data;
                var splits = string.Join(", ", d.Splits().Select(s => $"{s.Name} {s.Images.Count}"));
                var classes = d.ClassNames is { } names ? $"{names.Count} classes" : "unlabelled";
                output.WriteLine($"  splits:   {splits} ({d.Height}×{d.Width}, {classes}; loaded in {clock.Elapsed.TotalSeconds:0.0} s)");
                output.WriteLine($"  preview:  {WritePreviews(outDir, entry.Id, loaded)}");
            }
            catch (Exception e) when (e is InvalidDataException or ExperimentException)
            {
                failures++;
                output.WriteLine($"  FAILED:   {e.Message}");
            }
        }

        return failures == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static string WritePreviews(string outDir, string id, LoadedDataset loaded)
    {
        var d = loaded.Data;
        var path = Path.Combine(outDir, $"{id}.png");
        var count = Math.Min(PreviewCount, d.Train.Count);
        ImageGrid.Write(path, d.Train.Pixels.AsSpan(0, count * d.Dim), count, d.Height, d.Width);
        var written = new List<string> { path };
        foreach (var p in loaded.Previews)
        {
            var extra = Path.Combine(outDir, $"{id}-{p.Suffix}.png");
            ImageGrid.Write(extra, p.Pixels, p.Count, p.Height, p.Width);
            written.Add(extra);
        }

        return string.Join(", ", written);
    }

    private static void Download(DataDirectory resolver, string? dataFlag, IReadOnlyList<CatalogEntry> entries, TextWriter output)
    {
        var root = dataFlag ?? Environment.GetEnvironmentVariable(DataDirectory.EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(root))
        {
            throw new ExperimentException($"--download needs a folder to save into: pass --data DIR or set {DataDirectory.EnvironmentVariable}=DIR.", ExitCodes.Usage);
        }

        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(10) };
        var downloader = new DatasetDownloader(http);
        foreach (var info in entries.Select(e => e.Info).Distinct())
        {
            if (resolver.TryFind(info) is { } folder)
            {
                output.WriteLine($"{info.Name}: already present in {folder}");
                continue;
            }

            if (info.Sources is not { Count: > 0 })
            {
                output.WriteLine($"{info.Name}: no public download source; {info.HowToObtain}");
                continue;
            }

            foreach (var file in downloader.Download(info, root, output))
            {
                output.WriteLine($"{info.Name}: saved {file}");
            }
        }
    }

    private static string Origin(DataDirectory resolver, DatasetInfo info, string folder) =>
        resolver.Roots.FirstOrDefault(r => r.Path == folder || Path.Combine(r.Path, info.Name) == folder)?.Origin ?? "?";
}
