using TopicKit.Clustering;
using TopicKit.Numerics;
using TopicKit.Storage;

namespace TopicKit.Tests.Clustering;

/// <summary>Save/load round trips of fitted clusterers: the loaded model labels and predicts exactly as the original.</summary>
public sealed class FittedClustererPersistenceTests
{
    private static Matrix Moons => NpyFile.Read(SharedData.Path("oracles", "clustering", "moons2d.npy"));

    [Fact]
    public void HdbscanRoundTripKeepsLabelsScoresAndPredictions()
    {
        var data = Moons;
        var model = new Hdbscan(new HdbscanOptions { MinClusterSize = 10 }).Fit(data);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        var loaded = FittedClusterers.Load(folder.Path);

        Assert.Equal("hdbscan", loaded.Kind);
        Assert.Equal(model.Assignment.Labels, loaded.Assignment.Labels);
        Assert.Equal(model.Assignment.Probabilities, loaded.Assignment.Probabilities);
        Assert.Equal(model.Assignment.OutlierScores, loaded.Assignment.OutlierScores);
        var queries = Shifted(data, 0.01f);
        var before = model.Predict(queries);
        var after = loaded.Predict(queries);
        Assert.Equal(before.Labels, after.Labels);
        Assert.Equal(before.Probabilities, after.Probabilities);
    }

    [Fact]
    public void HdbscanPredictOnTrainingPointsGivesTheirClusters()
    {
        // Invariant of approximate_predict: a point that is in the fitted set (and not noise) lands in its own cluster.
        var data = Moons;
        var model = new Hdbscan(new HdbscanOptions { MinClusterSize = 10 }).Fit(data);
        var predicted = model.Predict(data).Labels;
        var clustered = Enumerable.Range(0, data.Rows).Where(i => model.Assignment.Labels[i] >= 0).ToArray();
        var agree = clustered.Count(i => predicted[i] == model.Assignment.Labels[i]);
        Assert.True(agree >= 0.99 * clustered.Length, $"{agree} of {clustered.Length}");
    }

    [Fact]
    public void KMeansRoundTripKeepsCentroidsAndPredictions()
    {
        var data = Moons;
        var model = (KMeansModel)new KMeans(new KMeansOptions { K = 4, Seed = 3 }).Fit(data);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        var loaded = Assert.IsType<KMeansModel>(FittedClusterers.Load(folder.Path));

        Assert.Equal(model.Result.Centroids.Data, loaded.Result.Centroids.Data);
        Assert.Equal(model.Result.Inertia, loaded.Result.Inertia);
        Assert.Equal(model.Assignment.Labels, loaded.Assignment.Labels);
        var queries = Shifted(data, 0.3f);
        Assert.Equal(model.Predict(queries).Labels, loaded.Predict(queries).Labels);
        Assert.Equal(model.Result.Predict(queries), loaded.Predict(queries).Labels);
    }

    [Fact]
    public void DamagedOrForeignFoldersGiveClearErrors()
    {
        var model = new KMeans(new KMeansOptions { K = 2 }).Fit(Moons);
        using var folder = new TempFolder();

        var missing = Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(Path.Combine(folder.Path, "nope")));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        var empty = Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(folder.Path));
        Assert.Contains("clusterer.json", empty.Message, StringComparison.Ordinal);

        model.Save(folder.Path);
        var manifest = Path.Combine(folder.Path, "clusterer.json");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("\"version\": 1", "\"version\": 99", StringComparison.Ordinal));
        Assert.Contains("version 99", Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(folder.Path)).Message, StringComparison.Ordinal);

        File.WriteAllText(manifest, "{\"format\": \"something-else\", \"version\": 1}");
        Assert.Contains("something-else", Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(folder.Path)).Message, StringComparison.Ordinal);

        model.Save(folder.Path);
        File.WriteAllBytes(Path.Combine(folder.Path, "centroids.npy"), [0x93, (byte)'N', (byte)'U']);
        Assert.Contains("centroids.npy", Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(folder.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HdbscanLoadDetectsPointsThatNoLongerGiveTheSavedLabels()
    {
        var data = Moons;
        var model = new Hdbscan(new HdbscanOptions { MinClusterSize = 10 }).Fit(data);
        using var folder = new TempFolder();
        model.Save(folder.Path);
        var scrambled = data.Clone();
        for (var i = 0; i < scrambled.Rows / 2; i++)
        {
            scrambled[i, 0] *= -3f;
        }

        NpyFile.Write(Path.Combine(folder.Path, "points.npy"), scrambled);
        var error = Assert.Throws<ModelFormatException>(() => FittedClusterers.Load(folder.Path));
        Assert.Contains("damaged", error.Message, StringComparison.Ordinal);
    }

    private static Matrix Shifted(Matrix data, float by)
    {
        var copy = data.Clone();
        for (var i = 0; i < copy.Data.Length; i++)
        {
            copy.Data[i] += (i % 3 == 0 ? by : -by) * (i % 7) / 7f;
        }

        return copy;
    }
}
