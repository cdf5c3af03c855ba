using Engine.Experiments.Data;
using Engine.Tests.Support;
using NUnit.Framework;

namespace Engine.Tests.Experiments;

public class DataDirectoryTests
{
    private static readonly DatasetInfo Toy = new("toy", [["a.bin.gz", "a.bin"], ["b.bin"]], "make it with the toy generator.");

    /// <summary>
    /// temp/flag/toy, temp/env/toy, temp/work/shared/datasets/toy beside temp/work/repo/Engine.sln,
    /// temp/system/toy — each created only when asked for.
    /// </summary>
    private sealed class Layout : IDisposable
    {
        private readonly TempDirectory _temp = new();

        public Layout()
        {
            Repo = _temp.Sub("work", "repo");
            File.WriteAllText(Path.Combine(Repo, "Engine.sln"), "");
            StartDeep = _temp.Sub("work", "repo", "Engine.Experiments", "bin", "Release");
        }

        public string Repo { get; }

        public string StartDeep { get; }

        public string Flag => Path.Combine(_temp.Path, "flag");

        public string Env => Path.Combine(_temp.Path, "env");

        public string Shared => Path.Combine(_temp.Path, "work", "shared", "datasets");

        public string System => Path.Combine(_temp.Path, "system");

        public string WithToy(string root)
        {
            var folder = _temp.Sub(Path.GetRelativePath(_temp.Path, root), "toy");
            File.WriteAllText(Path.Combine(folder, "a.bin"), "");
            File.WriteAllText(Path.Combine(folder, "b.bin"), "");
            return folder;
        }

        public DataDirectory Resolver(bool flag = true, bool env = true) =>
            new(flag ? Flag : null, env ? Env : null, [StartDeep], System);

        public void Dispose() => _temp.Dispose();
    }

    [Test]
    public void Find_EveryPlaceHasIt_FlagWins()
    {
        using var layout = new Layout();
        var expected = layout.WithToy(layout.Flag);
        layout.WithToy(layout.Env);
        layout.WithToy(layout.Shared);
        layout.WithToy(layout.System);

        Assert.That(layout.Resolver().Find(Toy), Is.EqualTo(expected));
    }

    [Test]
    public void Find_EnvironmentAndDefaultsHaveIt_EnvironmentWins()
    {
        using var layout = new Layout();
        var expected = layout.WithToy(layout.Env);
        layout.WithToy(layout.Shared);
        layout.WithToy(layout.System);

        Assert.That(layout.Resolver().Find(Toy), Is.EqualTo(expected));
    }

    [Test]
    public void Find_OnlyDefaults_SharedBesideRepositoryBeatsSystem()
    {
        using var layout = new Layout();
        var expected = layout.WithToy(layout.Shared);
        layout.WithToy(layout.System);

        Assert.That(layout.Resolver(flag: false, env: false).Find(Toy), Is.EqualTo(expected));
    }

    [Test]
    public void Find_OnlySystem_FallsBackToSystem()
    {
        using var layout = new Layout();
        var expected = layout.WithToy(layout.System);

        Assert.That(layout.Resolver().Find(Toy), Is.EqualTo(expected));
    }

    [Test]
    public void Find_FlagNamesTheDatasetFolderItself_UsesIt()
    {
        using var layout = new Layout();
        var folder = layout.WithToy(layout.System);
        var resolver = new DataDirectory(folder, null, [layout.StartDeep], layout.System);

        Assert.That(resolver.Roots[0].Path, Is.EqualTo(folder));
        Assert.That(resolver.Find(Toy), Is.EqualTo(folder));
    }

    [Test]
    public void Roots_AreInPriorityOrder()
    {
        using var layout = new Layout();
        var roots = layout.Resolver().Roots.Select(r => r.Path);

        Assert.That(roots, Is.EqualTo(new[] { layout.Flag, layout.Env, layout.Shared, layout.System }));
    }

    [Test]
    public void Find_Missing_MessageNamesDatasetEveryPlaceAndHowToObtain()
    {
        using var layout = new Layout();

        var e = Assert.Throws<DatasetNotFoundException>(() => layout.Resolver().Find(Toy));

        Assert.That(e!.Message, Does.Contain("dataset 'toy' not found"));
        foreach (var root in new[] { layout.Flag, layout.Env, layout.Shared, layout.System })
        {
            Assert.That(e.Message, Does.Contain(Path.Combine(root, "toy")));
        }

        Assert.That(e.Message, Does.Contain("make it with the toy generator").And.Contain("--data").And.Contain(DataDirectory.EnvironmentVariable));
        Assert.That(e.Message, Does.Not.Contain("\n"), "one line");
    }

    [Test]
    public void Find_PartialDataset_IsNotFound()
    {
        using var layout = new Layout();
        var folder = layout.WithToy(layout.Flag);
        File.Delete(Path.Combine(folder, "b.bin"));

        Assert.That(layout.Resolver().TryFind(Toy), Is.Null);
    }
}
