using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Storage;

namespace TopicKit.Tests.Reduction;

/// <summary>Save/load round trips of fitted reductions: the loaded model embeds and transforms exactly as the original.</summary>
public sealed class FittedReducerPersistenceTests
{
    private static Matrix Blobs => NpyFile.Read(SharedData.Path("oracles", "clustering", "blobs10d.npy"));

    [Fact]
    public void UmapRoundTripKeepsEmbeddingAndTransform()
    {
        var data = Blobs.SelectRows(Enumerable.Range(0, 600).Select(i => i * 7).ToArray());
        var model = new Umap(new UmapOptions { NComponents = 2, Seed = 5, NEpochs = 60 }).Fit(data);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        var loaded = Assert.IsType<UmapModel>(FittedReducers.Load(folder.Path));

        Assert.Equal("umap", loaded.Kind);
        Assert.Equal(model.Embedding.Data, loaded.Embedding.Data);
        Assert.Equal(model.A, loaded.A);
        Assert.Equal(model.B, loaded.B);
        Assert.Equal(model.Options with { MaxDegreeOfParallelism = -1 }, loaded.Options);
        var queries = Blobs.SelectRows(Enumerable.Range(0, 40).Select(i => (i * 7) + 3).ToArray());
        Assert.Equal(model.Transform(queries).Data, loaded.Transform(queries).Data);
    }

    [Fact]
    public void PcaRoundTripKeepsEmbeddingAndTransform()
    {
        var data = Blobs;
        var model = new Pca(new PcaOptions(3) { Whiten = true, Seed = 2 }).Fit(data);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        var loaded = Assert.IsType<PcaModel>(FittedReducers.Load(folder.Path));

        Assert.Equal(model.Embedding.Data, loaded.Embedding.Data);
        Assert.Equal(model.Components.Data, loaded.Components.Data);
        Assert.Equal(model.ExplainedVarianceRatio, loaded.ExplainedVarianceRatio);
        var queries = data.SelectRows([1, 5, 9, 400]);
        Assert.Equal(model.Transform(queries).Data, loaded.Transform(queries).Data);

        // Independent check of what was saved: the transform of a training row equals its saved embedding row.
        var again = loaded.Transform(data.SelectRows([9]));
        for (var c = 0; c < 3; c++)
        {
            Assert.Equal(model.Embedding[9, c], again[0, c], 3);
        }
    }

    [Fact]
    public void DamagedFoldersGiveClearErrors()
    {
        var model = new Pca(new PcaOptions(2)).Fit(Blobs);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        NpyFile.Write(Path.Combine(folder.Path, "components.npy"), new Matrix(2, 4));
        var shape = Assert.Throws<ModelFormatException>(() => FittedReducers.Load(folder.Path));
        Assert.Contains("components.npy", shape.Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(folder.Path, "reducer.json"), "{ not json");
        var json = Assert.Throws<ModelFormatException>(() => FittedReducers.Load(folder.Path));
        Assert.Contains("reducer.json is damaged", json.Message, StringComparison.Ordinal);
    }
}
