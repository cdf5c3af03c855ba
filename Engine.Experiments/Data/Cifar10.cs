namespace Engine.Experiments.Data;

/// <summary>
/// CIFAR-10 in its binary version (five training batches and the test batch of 10,000 32×32×3 images
/// each). Absent on this machine (shared/datasets/MANIFEST.md §7): experiments that read it list the
/// dataset so the runner reports it missing before anything starts.
/// </summary>
public static class Cifar10
{
    public static DatasetInfo Info { get; } = new(
        "cifar10",
        [.. Enumerable.Range(1, 5).Select(i => new[] { $"data_batch_{i}.bin" }), ["test_batch.bin"]],
        "extract cifar-10-binary.tar.gz (https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, 170,052,171 bytes, SHA-256 "
        + "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd) and put its .bin files into a folder named cifar10; "
        + "no copy is available on this machine (shared/datasets/MANIFEST.md §7).");
}
