namespace Engine.Experiments.Data.Integrity;

/// <summary>
/// The SHA-256 of every dataset file the engine reads, by dataset folder and file name. Where a
/// file can arrive in more than one form (gzipped or not, Debian's repack or the upstream file)
/// each form has its own entry. Sources: shared/datasets/SHA256SUMS (also datasets/SHA256SUMS in
/// the repository) and shared/datasets/MANIFEST.md, unless a comment says otherwise.
/// </summary>
public static class Checksums
{
    public static IReadOnlyDictionary<string, string[]> Mnist { get; } = new Dictionary<string, string[]>
    {
        ["train-images-idx3-ubyte.gz"] = ["440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"],
        ["train-labels-idx1-ubyte.gz"] = ["3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"],
        ["t10k-images-idx3-ubyte.gz"] = ["8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"],
        ["t10k-labels-idx1-ubyte.gz"] = ["f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"],

        // Uncompressed forms: SHA-256 of the gunzipped canonical files (computed here; their MD5s
        // match the canonical ones listed in MANIFEST.md), under both names LeCun's mirrors use.
        ["train-images-idx3-ubyte"] = ["ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"],
        ["train-images.idx3-ubyte"] = ["ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"],
        ["train-labels-idx1-ubyte"] = ["65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"],
        ["train-labels.idx1-ubyte"] = ["65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"],
        ["t10k-images-idx3-ubyte"] = ["0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"],
        ["t10k-images.idx3-ubyte"] = ["0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"],
        ["t10k-labels-idx1-ubyte"] = ["ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"],
        ["t10k-labels.idx1-ubyte"] = ["ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"],
    };

    /// <summary>
    /// Fashion-MNIST. The first hash of each .gz is of the Debian package dataset-fashion-mnist
    /// 0.0~git20200523.55506a9-1 (/usr/share/datasets/fashion-mnist, computed here with sha256sum);
    /// the package recompressed the files, so the second hash, of Zalando's own download (from
    /// tensorflow/datasets url_checksums/fashion_mnist.txt), differs. Uncompressed: SHA-256 of the
    /// Debian files gunzipped (computed here).
    /// </summary>
    public static IReadOnlyDictionary<string, string[]> FashionMnist { get; } = new Dictionary<string, string[]>
    {
        ["train-images-idx3-ubyte.gz"] = ["b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"],
        ["train-labels-idx1-ubyte.gz"] = ["0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"],
        ["t10k-images-idx3-ubyte.gz"] = ["cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"],
        ["t10k-labels-idx1-ubyte.gz"] = ["8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"],
        ["train-images-idx3-ubyte"] = ["c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"],
        ["train-images.idx3-ubyte"] = ["c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"],
        ["train-labels-idx1-ubyte"] = ["bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"],
        ["train-labels.idx1-ubyte"] = ["bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"],
        ["t10k-images-idx3-ubyte"] = ["5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"],
        ["t10k-images.idx3-ubyte"] = ["5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"],
        ["t10k-labels-idx1-ubyte"] = ["0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"],
        ["t10k-labels.idx1-ubyte"] = ["0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"],
    };

    /// <summary>Larochelle's files: gzipped (our shared copy) or the original uncompressed .amat (SHA-256s as tensorflow/datasets lists them).</summary>
    public static IReadOnlyDictionary<string, string[]> BinarizedMnist { get; } = new Dictionary<string, string[]>
    {
        ["binarized_mnist_train.amat.gz"] = ["af247bd6075cf9adc4715459dcd5f13eaa99a2c92d8d81379a05da94770b6c0e"],
        ["binarized_mnist_valid.amat.gz"] = ["533b71bc0198f4d73c54ae5fe6c96fc08dc3cf1b3fae24c5521dbc0452507e38"],
        ["binarized_mnist_test.amat.gz"] = ["32a3c54d03504632bf9f131b4a148c7567aa6fc87da017049b044bdc14c2a0f2"],
        ["binarized_mnist_train.amat"] = ["ad693b29f94c14277b095f5238ddefbbdaaae0939789dd2f4f0205278cee3e4d"],
        ["binarized_mnist_valid.amat"] = ["1de3d397c40fe8eeb33dafd4099a1f665ec01e96d9be234aaeeac8a34930e2e2"],
        ["binarized_mnist_test.amat"] = ["e6687bfea3f820c174f33b7865140b2a2dd2930ef786f35d45795fc193b5ab2c"],
    };

    public static IReadOnlyDictionary<string, string[]> Omniglot { get; } = new Dictionary<string, string[]>
    {
        ["images_background.npz"] = ["8bf84167413cd00beacdce3fe582f780ab538d8dbef043a6d688f2527bbce199"],
        ["images_evaluation.npz"] = ["0b84c7ffd94c4841c0040e529c86a82eaaccb986d8eadad5673f7991b7475276"],
        ["omniglot_characters.csv"] = ["7beae5da4e30a9495e75f5edc8a2b8b3deb1cb9e2e3653b07f211e3f6224e779"],
    };

    public static IReadOnlyDictionary<string, string[]> Caltech101Silhouettes { get; } = new Dictionary<string, string[]>
    {
        ["caltech101_silhouettes_28_split1.mat"] = ["eb6735e8d84b1850fabc5590124aab1755e90c9fd28123585324398405e1e42a"],
    };

    /// <summary>Our rebuild of Roweis's file (pixels exact, header ours): Roweis's own download has other bytes and is not accepted.</summary>
    public static IReadOnlyDictionary<string, string[]> FreyFaces { get; } = new Dictionary<string, string[]>
    {
        ["frey_rawface.mat"] = ["f0e83360f292019b274d74079e362b3f34c79caad1d29e6e29de2e2d59e09e07"],
    };
}
