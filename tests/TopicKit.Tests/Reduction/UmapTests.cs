using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Reduction;

public class UmapTests
{
    /// <summary>Every <paramref name="step"/>-th row of a shared clustering dataset (numpy: X[::step]).</summary>
    internal static Matrix Dataset(string name, int step)
    {
        var full = NpyFile.Read(SharedData.Path("oracles", "clustering", name + ".npy"));
        var rows = Enumerable.Range(0, full.Rows).Where(i => i % step == 0).ToArray();
        return full.SelectRows(rows);
    }

    [Theory]
    // umap-learn's trustworthiness (k = 15) on exactly the data fitted here, from
    //   python3 shared/bench/peer_cluster.py DATA umap 2 15 --seed 0
    // (umap-learn 0.5.3, euclidean, defaults). The two large sets are subsampled for test speed, and the peer was run
    // on the same subsample: np.save(f, np.load("shared/oracles/clustering/NAME.npy")[::7]).
    // Full-size figures: sphere384 (20,000 points) 0.98687 in 60.1 s.
    [InlineData("moons2d", 1, 0.9975291964198717)]
    [InlineData("blobs3d", 1, 0.9886472352453433)]
    [InlineData("blobs10d", 7, 0.9853171201433211)]
    [InlineData("sphere384", 7, 0.9900094087000237)]
    public void TrustworthinessMatchesUmapLearn(string name, int step, double peer)
    {
        var data = Dataset(name, step);
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Seed = 0 }).Fit(data);
        Assert.Equal(data.Rows, model.Embedding.Rows);
        Assert.Equal(2, model.Embedding.Columns);
        var trust = Trustworthiness.Compute(data, model.Embedding, 15);
        Assert.True(trust >= peer - 0.01, $"{name}: trustworthiness {trust:F5} < umap-learn {peer:F5} - 0.01");
    }

    [Theory]
    // The held-out set (6 Gaussian blobs, 3,300 points in 3-D, not tuned on). umap-learn 0.5.3 with the same metric
    // (euclidean, 15 neighbours, defaults) gave 0.98831, 0.98840 and 0.98642 for random_state 0, 1 and 2 in the same
    // run as ours (`TopicKit.Bench umap-quality heldout-blobs --seeds 0,1,2`, 1 Dec 2026); the floor is its lowest.
    // The 0.971 against 0.986 reported in issue 10 compared our default cosine metric with umap-learn's default
    // euclidean: with cosine both give 0.968 here (ours 0.96802, umap-learn 0.96824 at seed 0).
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void HeldOutBlobTrustworthinessReachesUmapLearnsFloor(int seed)
    {
        var data = HeldOutBlobs.Create();
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Seed = seed }).Fit(data);
        var trust = Trustworthiness.Compute(data, model.Embedding, 15);
        Assert.True(trust >= 0.98642, $"seed {seed}: trustworthiness {trust:F5} below umap-learn's lowest 0.98642");
    }

    [Fact]
    public void OutputBitsDoNotDependOnThreadCountAndFollowTheSeed()
    {
        var data = Dataset("blobs10d", 20);
        float[] Run(int threads, int seed) =>
            new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Seed = seed, MaxDegreeOfParallelism = threads, NEpochs = 120 }).Fit(data).Embedding.Data;

        var serial = Run(1, 7);
        Assert.Equal(serial, Run(2, 7));
        Assert.Equal(serial, Run(4, 7));
        Assert.Equal(serial, Run(4, 7));
        Assert.NotEqual(serial, Run(2, 8));
    }

    [Fact]
    public void TransformPlacesTrainingPointsNearTheirEmbedding()
    {
        var data = Dataset("blobs3d", 2);
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Seed = 2 }).Fit(data);
        var probe = data.SelectRows(Enumerable.Range(0, 200).Select(i => i * 5).ToArray());
        var placed = model.Transform(probe);
        var embedding = model.Embedding;
        var near = 0;
        for (var p = 0; p < probe.Rows; p++)
        {
            var i = p * 5;
            var own = Distance(placed.RowReadOnly(p), embedding.RowReadOnly(i));
            // Distance from the point's own embedding to its 15th nearest embedded neighbour: the local scale.
            var scale = Enumerable.Range(0, embedding.Rows).Where(j => j != i)
                .Select(j => Distance(embedding.RowReadOnly(i), embedding.RowReadOnly(j))).Order().ElementAt(14);
            near += own <= scale ? 1 : 0;
        }

        // umap-learn 0.5.3 places 198 of 200 training points there (same data, probes and invariant, random_state=2).
        Assert.True(near >= 190, $"only {near} of 200 transformed training points landed within their neighbourhood");
    }

    [Fact]
    public void TransformPlacesHeldOutPointsBesideTheirNearestTrainingPoint()
    {
        var all = Dataset("blobs3d", 1);
        var train = all.SelectRows(Enumerable.Range(0, all.Rows).Where(i => i % 2 == 0).ToArray());
        var heldOut = all.SelectRows(Enumerable.Range(0, 300).Select(i => (2 * i * 5) + 1).ToArray());
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Seed = 2 }).Fit(train);
        var placed = model.Transform(heldOut);
        var nearest = ExactKnn.Search(train, heldOut, 1, DistanceMetric.Euclidean);
        var embedding = model.Embedding;
        var near = 0;
        for (var p = 0; p < heldOut.Rows; p++)
        {
            var i = nearest.IndicesOf(p)[0];
            var scale = Enumerable.Range(0, embedding.Rows).Where(j => j != i)
                .Select(j => Distance(embedding.RowReadOnly(i), embedding.RowReadOnly(j))).Order().ElementAt(14);
            near += Distance(placed.RowReadOnly(p), embedding.RowReadOnly(i)) <= scale ? 1 : 0;
        }

        // umap-learn 0.5.3 (UMAP(random_state=2).fit(X[::2]).transform(...)) on exactly this set-up places 239 of the 300
        // there (the injected noise points have no meaningful nearest neighbour); do at least as well.
        Assert.True(near >= 239, $"only {near} of 300 held-out points landed within their nearest training point's neighbourhood");
    }

    [Fact]
    public void ApproximateNeighboursKeepUmapLearnQuality()
    {
        // Same data and peer figure as the sphere384 case above, with NN-descent instead of the exact search.
        var data = Dataset("sphere384", 7);
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, NeighborSearch = UmapNeighborSearch.Approximate }).Fit(data);
        Assert.True(Trustworthiness.Compute(data, model.Embedding, 15) >= 0.9900094087000237 - 0.01);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(17)]
    public void TinyInputsGiveFiniteEmbeddings(int rows)
    {
        var data = PcaTests.RandomData(rows, 4, seed: rows, scaleDecay: 1);
        var model = new Umap(new UmapOptions { NComponents = 3 }).Fit(data);
        Assert.Equal((rows, 3), (model.Embedding.Rows, model.Embedding.Columns));
        Assert.All(model.Embedding.Data, v => Assert.True(float.IsFinite(v)));
        Assert.All(model.Transform(data).Data, v => Assert.True(float.IsFinite(v)));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(6)]
    public void DisconnectedGraphsAreLaidOutPerComponent(int groups)
    {
        // Tight groups 1000 apart: no k-NN edge joins them. Two groups use umap-learn's axis meta-layout, six (more
        // than 2 x dimensions) the principal components of the group centroids.
        var random = new Random(3);
        const int PerGroup = 60;
        var data = new Matrix(groups * PerGroup, 3);
        for (var i = 0; i < data.Rows; i++)
        {
            var group = i / PerGroup;
            for (var t = 0; t < 3; t++)
            {
                data[i, t] = (float)random.NextDouble() + (1000 * group * (t == group % 3 ? 1 : 0.3f));
            }
        }

        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, NNeighbors = 10, NEpochs = 100 }).Fit(data);
        Assert.Equal(UmapInit.Spectral, model.Initialization);
        var nearest = ExactKnn.SearchSelf(model.Embedding, 1);
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.Equal(i / PerGroup, nearest.IndicesOf(i)[0] / PerGroup);
        }

        Assert.True(Trustworthiness.Compute(data, model.Embedding, 5) > 0.9);
    }

    [Theory]
    [InlineData(UmapInit.Pca)]
    [InlineData(UmapInit.Random)]
    public void OtherInitialisationsAreHonouredAndConverge(UmapInit init)
    {
        // The same data and figure as the spectral case above: the starting layout must not cost quality.
        var data = Dataset("blobs10d", 7);
        var model = new Umap(new UmapOptions { Metric = DistanceMetric.Euclidean, Init = init }).Fit(data);
        Assert.Equal(init, model.Initialization);
        Assert.True(Trustworthiness.Compute(data, model.Embedding, 15) >= 0.9853171201433211 - 0.01);
    }

    [Fact]
    public void RejectsBadInput()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Umap(new UmapOptions { NNeighbors = 1 }));
        Assert.Throws<ArgumentException>(() => new Umap().Fit(new Matrix(1, 3)));
        var withNaN = new Matrix(5, 2);
        withNaN[3, 1] = float.NaN;
        var error = Assert.Throws<InvalidDataException>(() => new Umap().Fit(withNaN));
        Assert.Contains("row 3", error.Message, StringComparison.Ordinal);
    }

    private static float Distance(ReadOnlySpan<float> a, ReadOnlySpan<float> b) => System.Numerics.Tensors.TensorPrimitives.Distance(a, b);
}
