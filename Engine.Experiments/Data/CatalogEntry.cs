namespace Engine.Experiments.Data;

/// <summary>
/// One dataset the engine offers: its catalogue id, a one-line description, the files it is built
/// from (<see cref="Info"/>: where found, checksums, download) and how to load it from the folder
/// holding those files. Several entries may share files (the MNIST variants).
/// </summary>
public sealed record CatalogEntry(string Id, string Description, DatasetInfo Info, Func<string, LoadedDataset> Load);

/// <summary>A loaded catalogue entry: the dataset and any extra previews.</summary>
public sealed record LoadedDataset(ImageDataset Data, IReadOnlyList<DatasetPreview> Previews)
{
    public static implicit operator LoadedDataset(ImageDataset data) => new(data, []);
}
