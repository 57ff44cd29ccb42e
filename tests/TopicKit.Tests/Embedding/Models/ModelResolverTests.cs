using TopicKit.Embedding;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Embedding.Models;

public sealed class ModelResolverTests : IDisposable
{
    private readonly TempFolder temp = new("topickit-models-");

    public void Dispose() => temp.Dispose();

    /// <summary>Marks a model installed the way a pull does last: the install record inside its folder.</summary>
    internal static string FakeInstall(string root, string name)
    {
        var dir = Path.Combine(root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ModelStore.InstallRecordFileName), $$"""{ "name": "{{name}}", "installedUtc": "2026-01-01T00:00:00Z", "files": [] }""");
        return dir;
    }

    [Fact]
    public void AnExistingFolderIsUsedAsIs()
    {
        var folder = Path.Combine(temp.Path, "my model");
        Directory.CreateDirectory(folder);
        var resolver = new ModelResolver(new ModelStore(Path.Combine(temp.Path, "store")));

        Assert.Equal(folder, resolver.Resolve(folder));
        Assert.Equal(folder, resolver.Resolve(folder + "/"));
        Assert.Null(resolver.FindManifest(folder));
    }

    [Fact]
    public void AKnownNameResolvesToItsInstalledFolderCaseInsensitively()
    {
        var store = new ModelStore(temp.Path);
        var dir = FakeInstall(temp.Path, "all-minilm-l6-v2-int8");
        var resolver = new ModelResolver(store);

        Assert.Equal(dir, resolver.Resolve("all-minilm-l6-v2-int8"));
        Assert.Equal(dir, resolver.Resolve("All-MiniLM-L6-v2-int8"));
        Assert.Equal("all-minilm-l6-v2-int8", resolver.FindManifest("ALL-MINILM-L6-V2-INT8")?.Name);
    }

    [Fact]
    public void AKnownNameThatIsNotInstalledSaysHowToPullIt()
    {
        var resolver = new ModelResolver(new ModelStore(temp.Path));
        // A staging folder of an interrupted pull does not count as installed.
        Directory.CreateDirectory(Path.Combine(temp.Path, "gte-small-int8.partial"));
        // Nor does a model folder without its install record.
        Directory.CreateDirectory(Path.Combine(temp.Path, "bge-small-en-v1.5"));

        var ex = Assert.Throws<ModelNotInstalledException>(() => resolver.Resolve("gte-small-int8"));
        Assert.Equal("model gte-small-int8 is not installed; run `topickit models pull gte-small-int8`", ex.Message);
        Assert.Equal("gte-small-int8", ex.ModelName);
        Assert.Throws<ModelNotInstalledException>(() => resolver.Resolve("bge-small-en-v1.5"));
        Assert.Throws<ModelNotInstalledException>(() => resolver.Store.Verify(resolver.Store.Registry.Get("gte-small-int8")));
        Assert.Empty(resolver.Store.GetInstalled());
    }

    [Fact]
    public void AnUnknownNameListsTheKnownNames()
    {
        var resolver = new ModelResolver(new ModelStore(temp.Path));

        var ex = Assert.Throws<ModelResolutionException>(() => resolver.Resolve("minilm"));

        Assert.IsNotType<ModelNotInstalledException>(ex);
        Assert.Contains("'minilm'", ex.Message, StringComparison.Ordinal);
        foreach (var name in ModelRegistry.Default.Names)
        {
            Assert.Contains(name, ex.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void MissingPathsAndFilesAreReportedAsSuch()
    {
        var resolver = new ModelResolver(new ModelStore(temp.Path));
        var file = Path.Combine(temp.Path, "model.onnx");
        File.WriteAllBytes(file, [1]);

        Assert.Contains("does not exist", Assert.Throws<ModelResolutionException>(() => resolver.Resolve(Path.Combine(temp.Path, "nope"))).Message, StringComparison.Ordinal);
        Assert.Contains("is a file", Assert.Throws<ModelResolutionException>(() => resolver.Resolve(file)).Message, StringComparison.Ordinal);
        Assert.Contains("no model given", Assert.Throws<ModelResolutionException>(() => resolver.Resolve("  ")).Message, StringComparison.Ordinal);
    }
}
