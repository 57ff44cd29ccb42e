using System.Text.Json;
using TopicKit.Clustering;
using TopicKit.Clustering.Metrics;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Clustering;

public sealed class KMeansTests
{
    private static Matrix Load(string name) => NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));

    private static JsonElement Peer(string name)
    {
        var doc = JsonDocument.Parse(File.ReadAllText(SharedData.Path("oracles", "clustering", "manifest.json")));
        return doc.RootElement.GetProperty(name).GetProperty("kmeans").Clone();
    }

    // The oracle tests share one fit per dataset (manifest k and n_init, seed 0): sphere384 is the costly one.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<KMeansResult>> OracleFits = new();

    private static KMeansResult OracleFit(string name) =>
        OracleFits.GetOrAdd(name, n => new Lazy<KMeansResult>(() =>
        {
            var peer = Peer(n);
            var options = new KMeansOptions { K = peer.GetProperty("k").GetInt32(), NInit = peer.GetProperty("n_init").GetInt32(), Seed = 0 };
            return new KMeans(options).FitModel(Load(n));
        })).Value;

    [Theory]
    [InlineData("moons2d")]
    [InlineData("blobs3d")]
    [InlineData("blobs10d")]
    [InlineData("sphere384")]
    public void InertiaWithinHalfPercentOfScikitLearn(string name)
    {
        var peer = Peer(name);
        var result = OracleFit(name);
        Assert.True(
            result.Inertia <= peer.GetProperty("inertia").GetDouble() * 1.005,
            $"{name}: inertia {result.Inertia} vs scikit-learn {peer.GetProperty("inertia").GetDouble()}");
        Assert.Equal(peer.GetProperty("n_init").GetInt32(), result.NInitUsed);
        Assert.Equal(peer.GetProperty("k").GetInt32(), result.Centroids.Rows);
    }

    [Theory]
    [InlineData("blobs3d")]
    [InlineData("blobs10d")]
    [InlineData("sphere384")]
    public void AgreementWithTruthAtLeastScikitLearns(string name)
    {
        var truth = MetricsTests.Labels(name + ".truth.csv");
        var peerAri = ExternalMetrics.AdjustedRandIndex(truth, MetricsTests.Labels(name + ".kmeans-sklearn.csv"));
        var ours = ExternalMetrics.AdjustedRandIndex(truth, OracleFit(name).Labels);
        Assert.True(ours >= peerAri - 1e-12, $"{name}: ARI {ours} vs scikit-learn {peerAri}");
    }

    [Theory]
    [InlineData(KMeansAlgorithm.Lloyd, DistanceMetric.Euclidean, 0)]
    [InlineData(KMeansAlgorithm.Hamerly, DistanceMetric.Euclidean, 0)]
    [InlineData(KMeansAlgorithm.Hamerly, DistanceMetric.Cosine, 0)]
    [InlineData(KMeansAlgorithm.Auto, DistanceMetric.Euclidean, 1000)]
    public void BitIdenticalAtAnyThreadCount(KMeansAlgorithm algorithm, DistanceMetric metric, int batch)
    {
        var x = Load("blobs10d");
        var options = new KMeansOptions { K = 20, NInit = 2, Seed = 7, Algorithm = algorithm, Metric = metric, MiniBatchSize = batch };
        var one = new KMeans(options with { MaxDegreeOfParallelism = 1 }).FitModel(x);
        var many = new KMeans(options with { MaxDegreeOfParallelism = 4 }).FitModel(x);
        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Centroids.Data, many.Centroids.Data);
        Assert.Equal(one.Inertia, many.Inertia);
        Assert.Equal(one.Iterations, many.Iterations);
    }

    [Fact]
    public void HamerlyReachesTheSameFixedPointAsLloyd()
    {
        var x = Load("blobs3d");
        var lloyd = new KMeans(new KMeansOptions { K = 6, Seed = 3, Algorithm = KMeansAlgorithm.Lloyd }).FitModel(x);
        var hamerly = new KMeans(new KMeansOptions { K = 6, Seed = 3, Algorithm = KMeansAlgorithm.Hamerly }).FitModel(x);
        Assert.Equal(lloyd.Labels, hamerly.Labels);
        Assert.Equal(lloyd.Inertia, hamerly.Inertia, lloyd.Inertia * 1e-6);
    }

    [Fact]
    public void HandCaseOneDimension()
    {
        // Two pairs: {0, 1} and {10, 11}: centroids 0.5 and 10.5, inertia 4 * 0.25 = 1.
        var x = new Matrix([10f, 0f, 11f, 1f], 4, 1);
        var result = new KMeans(new KMeansOptions { K = 2, NInit = 3 }).FitModel(x);
        Assert.Equal(1.0, result.Inertia, 1e-9);
        Assert.Equal(result.Labels[0], result.Labels[2]);
        Assert.Equal(result.Labels[1], result.Labels[3]);
        Assert.NotEqual(result.Labels[0], result.Labels[1]);
        Assert.Equal(10.5f, result.Centroids[result.Labels[0], 0]);
        Assert.Equal(0.5f, result.Centroids[result.Labels[1], 0]);
        Assert.All(result.Distances, d => Assert.Equal(0.5f, d));
        Assert.Equal(new[] { result.Labels[1], result.Labels[0] }, result.Predict(new Matrix([4f, 6f], 2, 1)));

        var assignment = new KMeans(new KMeansOptions { K = 2 }).Fit(x).Assignment;
        Assert.Equal(2, assignment.ClusterCount);
        Assert.All(assignment.Probabilities, p => Assert.Equal(1f, p));
        Assert.All(assignment.OutlierScores, d => Assert.Equal(0.5f, d));
    }

    [Fact]
    public void HandCaseFarFromOrigin()
    {
        // The same two pairs shifted by 20000: centroids 20000.5 and 20010.5, inertia still exactly 1.
        var x = new Matrix([20010f, 20000f, 20011f, 20001f], 4, 1);
        var result = new KMeans(new KMeansOptions { K = 2, NInit = 2 }).FitModel(x);
        Assert.Equal(1.0, result.Inertia, 1e-6);
        Assert.Equal(20010.5f, result.Centroids[result.Labels[0], 0]);
        Assert.Equal(20000.5f, result.Centroids[result.Labels[1], 0]);
    }

    [Fact]
    public void EmptyClusterIsRelocatedToTheFarthestPoint()
    {
        // Points 0, 1, 2, 10; initial centres 0.5 and 100: every point picks 0.5, leaving centre 1 empty.
        // It moves to point 10 (farthest from its centre), which leaves cluster 0 = {0, 1, 2} with mean 1.
        var x = new Matrix([0f, 1f, 2f, 10f], 4, 1);
        var engine = new KMeansEngine(x, [0f, 1f, 4f, 100f], 2, spherical: false, hamerly: false, maxDop: 1);
        var run = engine.Run([0.5f, 100f], maxIter: 10, tolerance: 0, CancellationToken.None);
        Assert.Equal(new[] { 1f, 10f }, run.Centers);
        Assert.Equal(new[] { 0, 0, 0, 1 }, run.Labels);
        Assert.Equal(2.0, run.Inertia, 1e-9);
    }

    [Fact]
    public void CosineIsInvariantToRowScaleAndGivesUnitCentroids()
    {
        var x = Load("blobs3d");
        var scaled = x.Clone();
        for (var i = 0; i < scaled.Rows; i++)
        {
            var factor = MathF.Pow(2, (i % 5) - 2);
            foreach (ref var v in scaled.Row(i))
            {
                v *= factor;
            }
        }

        var options = new KMeansOptions { K = 4, Metric = DistanceMetric.Cosine, Seed = 1 };
        var a = new KMeans(options).FitModel(x);
        var b = new KMeans(options).FitModel(scaled);
        Assert.Equal(a.Labels, b.Labels);
        for (var c = 0; c < a.K; c++)
        {
            var row = a.Centroids.RowReadOnly(c);
            Assert.Equal(1.0, Math.Sqrt(row.ToArray().Sum(v => (double)v * v)), 1e-5);
        }
    }

    [Fact]
    public void MiniBatchStaysCloseToFullBatch()
    {
        var x = Load("blobs10d");
        var peer = Peer("blobs10d").GetProperty("inertia").GetDouble();
        var mb = new KMeans(new KMeansOptions { K = 20, NInit = 3, MiniBatchSize = 1024, Seed = 0 }).FitModel(x);
        Assert.True(mb.Inertia <= peer * 1.02, $"mini-batch inertia {mb.Inertia} vs full-batch scikit-learn {peer}");
    }

    [Fact]
    public void BadInputGetsClearErrorsOrDefinedResults()
    {
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 5 }).FitModel(new Matrix(3, 2)));
        Assert.Throws<ArgumentException>(() => new KMeans(new KMeansOptions { K = 1 }).FitModel(new Matrix(0, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { K = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KMeans(new KMeansOptions { NInit = 0 }));

        var single = new KMeans(new KMeansOptions { K = 1 }).FitModel(new Matrix([3f, -4f], 1, 2));
        Assert.Equal(new[] { 3f, -4f }, single.Centroids.Data);
        Assert.Equal(0.0, single.Inertia);

        // Identical points with k = 3: terminates with zero inertia and every point on the lowest-index centroid.
        var same = new Matrix(50, 4);
        same.Data.AsSpan().Fill(2.5f);
        var flat = new KMeans(new KMeansOptions { K = 3, MaxIter = 1000 }).FitModel(same);
        Assert.Equal(0.0, flat.Inertia);
        Assert.All(flat.Labels, l => Assert.Equal(0, l));

        Assert.Equal(1, flat.NonEmptyClusters);
        var flatAssignment = flat.ToAssignment();
        Assert.Equal(1, flatAssignment.ClusterCount);
        Assert.All(flatAssignment.Labels, l => Assert.Equal(0, l));

        var nan = new Matrix([1f, 2f, float.NaN, 4f], 2, 2);
        var ex = Assert.Throws<InvalidDataException>(() => new KMeans(new KMeansOptions { K = 1 }).FitModel(nan));
        Assert.Contains("row 1", ex.Message, StringComparison.Ordinal);
        var inf = new Matrix([1f, float.PositiveInfinity], 1, 2);
        Assert.Throws<InvalidDataException>(() => new KMeans(new KMeansOptions { K = 1 }).FitModel(inf));
    }

    [Fact]
    public void ModelSelectionPicksTheGeneratingK()
    {
        // blobs3d was generated with 6 clusters (plus noise).
        var x = Load("blobs3d");
        var selection = KMeansModelSelection.Select(x, 2, 9, new KMeansOptions { Seed = 0, NInit = 3 }, sampleSize: 1500);
        Assert.Equal(8, selection.Candidates.Count);
        Assert.Equal(Enumerable.Range(2, 8), selection.Candidates.Select(c => c.K));
        Assert.Equal(6, selection.ChosenK);
        Assert.Equal(6, selection.Model.K);
        Assert.Equal(selection.Candidates.Max(c => c.Silhouette), selection.Candidates.Single(c => c.K == 6).Silhouette);
    }

    [Fact]
    public void OnlyNonEmptyClustersAreReportedWhenThereAreFewerDistinctPointsThanK()
    {
        // Two distinct points, 10 copies each, k = 4: two centroids stay empty wherever they sit in 0..3.
        var x = new Matrix(20, 2);
        for (var i = 0; i < 20; i++)
        {
            x[i, 0] = i < 10 ? -3f : 5f;
            x[i, 1] = 1f;
        }

        foreach (var seed in new[] { 0, 1, 2, 3, 4 })
        {
            var model = new KMeans(new KMeansOptions { K = 4, Seed = seed, NInit = 2 }).FitModel(x);
            Assert.Equal(0.0, model.Inertia);
            Assert.Equal(2, model.NonEmptyClusters);
            var assignment = model.ToAssignment();
            Assert.Equal(2, assignment.ClusterCount);
            Assert.Equal(new[] { 0, 1 }, assignment.Labels.Distinct().Order());
            Assert.Equal(10, assignment.Labels.Count(l => l == assignment.Labels[0]));
            // Renumbering keeps the centroid order: the group on the lower-index centroid gets label 0.
            var lowerFirst = model.Labels[0] < model.Labels[10];
            Assert.Equal(lowerFirst ? 0 : 1, assignment.Labels[0]);
        }
    }

    [Fact]
    public void CosineKMeansRejectsAllZeroRowsNamingTheRowAsCosineHdbscanDoes()
    {
        var x = new Matrix([1f, 0f, 0f, 1f, 0f, 0f, 1f, 1f], 4, 2);
        var kmeans = Assert.Throws<InvalidDataException>(() => new KMeans(new KMeansOptions { K = 2, Metric = DistanceMetric.Cosine }).FitModel(x));
        Assert.Contains("row 2 is all zeros", kmeans.Message, StringComparison.Ordinal);
        var hdbscan = Assert.Throws<InvalidDataException>(() => new Hdbscan(new HdbscanOptions { MinClusterSize = 2, Metric = DistanceMetric.Cosine }).Fit(x));
        Assert.Contains("row 2 is all zeros", hdbscan.Message, StringComparison.Ordinal);

        // Euclidean k-means has no direction to define: the zero row is an ordinary point.
        Assert.Equal(4, new KMeans(new KMeansOptions { K = 2 }).FitModel(x).Labels.Length);

        var fitted = new KMeans(new KMeansOptions { K = 2, Metric = DistanceMetric.Cosine }).FitModel(new Matrix([1f, 0f, 0f, 1f, 1f, 1f], 3, 2));
        var predict = Assert.Throws<InvalidDataException>(() => fitted.Predict(new Matrix([0f, 0f], 1, 2)));
        Assert.Contains("row 0 is all zeros", predict.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MeanVarianceFromNormsMatchesTheTwoPassDefinition()
    {
        var x = Load("blobs10d");
        var mean = RowOps.ColumnMeans(x);
        var twoPass = 0.0;
        for (var i = 0; i < x.Rows; i++)
        {
            for (var t = 0; t < x.Columns; t++)
            {
                var d = x[i, t] - mean[t];
                twoPass += d * d;
            }
        }

        twoPass /= (double)x.Rows * x.Columns;
        Assert.Equal(twoPass, KMeans.MeanVariance(x), twoPass * 1e-5);
    }
}
