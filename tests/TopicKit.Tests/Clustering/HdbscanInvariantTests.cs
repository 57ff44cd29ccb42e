using TopicKit.Clustering;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Clustering;

/// <summary>Invariants, determinism, algorithm equivalence and bad input.</summary>
public sealed class HdbscanInvariantTests
{
    private static Matrix Blobs3d() => NpyFile.Read(SharedData.Path("oracles", "clustering", "blobs3d.npy"));

    private static HdbscanOptions Blobs3dOptions => new() { MinClusterSize = 15, MinSamples = 15 };

    [Fact]
    public void ResultsAreIdenticalForOneOrManyThreads()
    {
        var data = Blobs3d();
        var one = new Hdbscan(Blobs3dOptions with { MaxDegreeOfParallelism = 1 }).FitDetailed(data);
        var many = new Hdbscan(Blobs3dOptions with { MaxDegreeOfParallelism = 8 }).FitDetailed(data);

        Assert.Equal(one.Labels, many.Labels);
        Assert.Equal(one.Probabilities, many.Probabilities);
        Assert.Equal(one.OutlierScores, many.OutlierScores);
        Assert.Equal(one.CondensedTree.ToCsv(), many.CondensedTree.ToCsv());
    }

    [Fact]
    public void DensePrimAndKdTreeBoruvkaGiveTheSameClustering()
    {
        var data = NpyFile.Read(SharedData.Path("oracles", "clustering", "moons2d.npy"));
        var options = new HdbscanOptions { MinClusterSize = 10, MinSamples = 10 };
        var tree = new Hdbscan(options with { Algorithm = HdbscanAlgorithm.KdTreeBoruvka }).FitDetailed(data);
        var dense = new Hdbscan(options with { Algorithm = HdbscanAlgorithm.PrimDense }).FitDetailed(data);

        Assert.Equal(tree.Labels, dense.Labels);
        for (var i = 0; i < data.Rows; i++)
        {
            Assert.Equal(tree.Probabilities[i], dense.Probabilities[i], 6);
            Assert.Equal(tree.OutlierScores[i], dense.OutlierScores[i], 6);
            Assert.Equal(tree.CoreDistances[i], dense.CoreDistances[i], 9);
        }
    }

    [Fact]
    public void OutputsAreConsistentWithEachOther()
    {
        var data = Blobs3d();
        var r = new Hdbscan(Blobs3dOptions).FitDetailed(data);

        Assert.Equal(r.ClusterCount, r.Clusters.Count);
        Assert.Equal(Enumerable.Range(0, r.ClusterCount), r.Labels.Where(l => l >= 0).Distinct().Order());
        for (var c = 0; c < r.ClusterCount; c++)
        {
            var members = Enumerable.Range(0, r.PointCount).Where(i => r.Labels[i] == c).ToList();
            Assert.Equal(members.Count, r.Clusters[c].Size);
            Assert.True(members.Count >= 15);

            // R's probability is relative to the cluster's largest core distance, so its owner scores exactly 0.
            Assert.Contains(members, i => r.Probabilities[i] == 0f);
            Assert.All(r.Clusters[c].Exemplars, e => Assert.Equal(c, r.Labels[e]));
            Assert.NotEmpty(r.Clusters[c].Exemplars);
            Assert.InRange(r.Clusters[c].Persistence, 0, 1);
        }

        for (var i = 0; i < r.PointCount; i++)
        {
            Assert.InRange(r.Probabilities[i], 0f, 1f);
            Assert.InRange(r.OutlierScores[i], 0f, 1f);
            if (r.Labels[i] < 0)
            {
                Assert.Equal(0f, r.Probabilities[i]);
            }
        }

        // Every point is a child exactly once; every cluster but the root is a child exactly once.
        var rows = r.CondensedTree.Rows;
        Assert.Equal(Enumerable.Range(0, r.PointCount), rows.Where(x => x.Child < r.PointCount).Select(x => x.Child).Order());
        var clusterRows = rows.Where(x => x.Child >= r.PointCount).ToList();
        Assert.Equal(clusterRows.Count, clusterRows.Select(x => x.Child).Distinct().Count());
        var birth = clusterRows.ToDictionary(x => x.Child, x => x.LambdaValue);
        Assert.All(rows, x => Assert.True(!birth.TryGetValue(x.Parent, out var b) || x.LambdaValue >= b));

        // The leaf method refines EOM: at least as many clusters.
        var leaf = new Hdbscan(Blobs3dOptions with { ClusterSelectionMethod = HdbscanSelectionMethod.Leaf }).FitDetailed(data);
        Assert.True(leaf.ClusterCount >= r.ClusterCount);
    }

    [Fact]
    public void ApproximatePredictReproducesTrainingLabels()
    {
        var data = Blobs3d();
        var r = new Hdbscan(Blobs3dOptions).FitDetailed(data);
        var p = r.ApproximatePredict(data);

        var clustered = Enumerable.Range(0, r.PointCount).Where(i => r.Labels[i] >= 0).ToList();
        var same = clustered.Count(i => p.Labels[i] == r.Labels[i]);
        Assert.True(same >= 0.99 * clustered.Count, $"{same} of {clustered.Count} clustered points keep their label");
        Assert.All(p.Probabilities, x => Assert.InRange(x, 0f, 1f));
        Assert.Throws<ArgumentException>(() => r.ApproximatePredict(new Matrix(1, 2)));
    }

    [Fact]
    public void CosineIgnoresRowScaleAndReportsCosineDistances()
    {
        var data = Blobs3d();
        var options = Blobs3dOptions with { Metric = DistanceMetric.Cosine };
        var scaled = data.Clone();
        for (var i = 0; i < scaled.Rows; i++)
        {
            var row = scaled.Row(i);
            for (var j = 0; j < row.Length; j++)
            {
                row[j] *= 1 + (i % 7);
            }
        }

        var a = new Hdbscan(options).FitDetailed(data);
        var b = new Hdbscan(options).FitDetailed(scaled);
        Assert.Equal(a.Labels, b.Labels);

        // Core distance is 1 - cos to the 14th nearest other row by angle.
        var unit = new double[data.Rows, 3];
        for (var i = 0; i < data.Rows; i++)
        {
            var norm = Math.Sqrt(Enumerable.Range(0, 3).Sum(j => (double)data[i, j] * data[i, j]));
            for (var j = 0; j < 3; j++)
            {
                unit[i, j] = data[i, j] / norm;
            }
        }

        foreach (var i in new[] { 0, 17, 1234 })
        {
            var cos = Enumerable.Range(0, data.Rows).Where(j => j != i)
                .Select(j => 1 - Enumerable.Range(0, 3).Sum(c => unit[i, c] * unit[j, c])).Order().ToList();
            Assert.Equal(cos[13], a.CoreDistances[i], 9);
        }
    }

    [Fact]
    public void DegenerateInputsHaveDocumentedResults()
    {
        var empty = new Hdbscan().FitDetailed(new Matrix(0, 3));
        Assert.Equal(0, empty.ClusterCount);
        Assert.Empty(empty.Labels);
        Assert.Empty(empty.ApproximatePredict(new Matrix(0, 3)).Labels);

        var one = new Hdbscan(new HdbscanOptions { MinClusterSize = 2, MinSamples = 1 }).FitDetailed(new Matrix([1f, 2f], 1, 2));
        Assert.Equal([-1], one.Labels);
        Assert.Equal([0f], one.OutlierScores);

        var identical = new Matrix(Enumerable.Repeat(3f, 40).ToArray(), 20, 2);
        var same = new Hdbscan(new HdbscanOptions { MinClusterSize = 3 }).FitDetailed(identical);
        Assert.Equal(0, same.ClusterCount);
        Assert.All(same.Labels, l => Assert.Equal(-1, l));
        Assert.All(same.OutlierScores, s => Assert.Equal(0f, s));
        var single = new Hdbscan(new HdbscanOptions { MinClusterSize = 3, AllowSingleCluster = true }).FitDetailed(identical);
        Assert.Equal(1, single.ClusterCount);
        Assert.All(single.Probabilities, p => Assert.Equal(1f, p));

        // MinClusterSize above N with a small MinSamples: no split can qualify, so everything is noise.
        var big = new Hdbscan(new HdbscanOptions { MinClusterSize = 50, MinSamples = 3 }).FitDetailed(HdbscanHandCheckedTests.TwoGroupsAndOutlier());
        Assert.All(big.Labels, l => Assert.Equal(-1, l));
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        var small = HdbscanHandCheckedTests.TwoGroupsAndOutlier();
        var tooMany = Assert.Throws<ArgumentException>(() => new Hdbscan(new HdbscanOptions { MinClusterSize = 20 }).FitDetailed(small));
        Assert.Contains("MinSamples", tooMany.Message);
        Assert.Throws<ArgumentException>(() => new Hdbscan(new HdbscanOptions { MinClusterSize = 1 }));
        Assert.Throws<ArgumentException>(() => new Hdbscan(new HdbscanOptions { ClusterSelectionEpsilon = -1 }));

        var nan = small.Clone();
        nan[4, 1] = float.NaN;
        Assert.Contains("row 4", Assert.Throws<InvalidDataException>(() => new Hdbscan(new HdbscanOptions { MinClusterSize = 3 }).FitDetailed(nan)).Message);
        var inf = small.Clone();
        inf[2, 0] = float.PositiveInfinity;
        Assert.Contains("row 2", Assert.Throws<InvalidDataException>(() => new Hdbscan(new HdbscanOptions { MinClusterSize = 3 }).FitDetailed(inf)).Message);

        var zeroRow = new Matrix([1f, 0f, 0f, 0f, 0f, 1f, 1f, 1f], 4, 2);
        var cosine = new HdbscanOptions { MinClusterSize = 2, Metric = DistanceMetric.Cosine };
        Assert.Contains("row 1", Assert.Throws<InvalidDataException>(() => new Hdbscan(cosine).FitDetailed(zeroRow)).Message);
    }
}
