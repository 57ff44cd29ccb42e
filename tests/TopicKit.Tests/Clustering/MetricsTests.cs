using TopicKit.Clustering.Metrics;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Tests.Infrastructure;
using TopicKit.Tests.Neighbors;

namespace TopicKit.Tests.Clustering;

public sealed class MetricsTests
{
    // Four points on a line: 0, 1 | 4, 5.
    private static readonly Matrix Line = new([0f, 1f, 4f, 5f], 4, 1);
    private static readonly int[] LineLabels = [0, 0, 1, 1];

    [Fact]
    public void SilhouetteHandCase()
    {
        // a = 1 for every point; b = 4.5, 3.5, 3.5, 4.5 -> s = 7/9, 5/7, 5/7, 7/9; mean = 47/63.
        var samples = InternalMetrics.SilhouetteSamples(Line, LineLabels);
        Assert.Equal(7.0 / 9, samples[0], 1e-6);
        Assert.Equal(5.0 / 7, samples[1], 1e-6);
        Assert.Equal(5.0 / 7, samples[2], 1e-6);
        Assert.Equal(7.0 / 9, samples[3], 1e-6);
        Assert.Equal(47.0 / 63, InternalMetrics.Silhouette(Line, LineLabels), 1e-6);
    }

    [Fact]
    public void DaviesBouldinAndCalinskiHarabaszHandCase()
    {
        // Centroids 0.5 and 4.5, scatter 0.5 each, gap 4 -> DB = (0.5 + 0.5) / 4.
        Assert.Equal(0.25, InternalMetrics.DaviesBouldin(Line, LineLabels), 1e-9);

        // Grand mean 2.5: B = 2*2^2 + 2*2^2 = 16, W = 4 * 0.25 = 1 -> CH = 16 * (4-2) / (1 * (2-1)) = 32.
        Assert.Equal(32.0, InternalMetrics.CalinskiHarabasz(Line, LineLabels), 1e-9);
    }

    [Fact]
    public void NoiseIsExcludedAndSingletonsScoreZero()
    {
        var withNoise = new Matrix([0f, 1f, 4f, 5f, 100f], 5, 1);
        Assert.Equal(47.0 / 63, InternalMetrics.Silhouette(withNoise, [0, 0, 1, 1, -1]), 1e-6);
        Assert.Equal(0.25, InternalMetrics.DaviesBouldin(withNoise, [0, 0, 1, 1, -1]), 1e-9);

        // Point 5 alone in cluster 2 scores 0 (as scikit-learn).
        var s = InternalMetrics.SilhouetteSamples(new Matrix([0f, 1f, 4f, 5f, 9f], 5, 1), [0, 0, 1, 1, 2]);
        Assert.Equal(0.0, s[4]);
        Assert.Throws<ArgumentException>(() => InternalMetrics.Silhouette(Line, [0, 0, 0, 0]));
        Assert.Throws<ArgumentException>(() => InternalMetrics.Silhouette(Line, [0, 1, 2, 3]));
    }

    [Fact]
    public void SilhouetteMatchesDoublePrecisionBruteForce()
    {
        var data = ExactKnnTests.Random(90, 13, 9);
        var labels = Enumerable.Range(0, 90).Select(i => i % 4).ToArray();
        foreach (var metric in new[] { DistanceMetric.Euclidean, DistanceMetric.Cosine })
        {
            var expected = 0.0;
            for (var i = 0; i < 90; i++)
            {
                var sums = new double[4];
                for (var j = 0; j < 90; j++)
                {
                    if (j != i)
                    {
                        sums[labels[j]] += Dist(data, i, j, metric);
                    }
                }

                var a = sums[labels[i]] / (90 / 4 - (labels[i] < 2 ? 0 : 1));
                var b = Enumerable.Range(0, 4).Where(c => c != labels[i]).Min(c => sums[c] / (c < 2 ? 23 : 22));
                expected += (b - a) / Math.Max(a, b);
            }

            Assert.Equal(expected / 90, InternalMetrics.Silhouette(data, labels, metric), 1e-5);
        }
    }

    private static double Dist(Matrix m, int i, int j, DistanceMetric metric)
    {
        double dot = 0, a = 0, b = 0, sq = 0;
        for (var c = 0; c < m.Columns; c++)
        {
            dot += m[i, c] * (double)m[j, c];
            a += m[i, c] * (double)m[i, c];
            b += m[j, c] * (double)m[j, c];
            sq += (m[i, c] - (double)m[j, c]) * (m[i, c] - (double)m[j, c]);
        }

        return metric == DistanceMetric.Cosine ? 1 - (dot / Math.Sqrt(a * b)) : Math.Sqrt(sq);
    }

    [Fact]
    public void SampledSilhouetteIsSeededAndExactWhenSampleCoversAll()
    {
        var data = ExactKnnTests.Random(400, 6, 11);
        var labels = Enumerable.Range(0, 400).Select(i => i % 3).ToArray();
        var exact = InternalMetrics.Silhouette(data, labels);
        Assert.Equal(exact, InternalMetrics.SilhouetteSampled(data, labels, 1000, seed: 1));
        var s1 = InternalMetrics.SilhouetteSampled(data, labels, 100, seed: 5);
        var s2 = InternalMetrics.SilhouetteSampled(data, labels, 100, seed: 5, maxDegreeOfParallelism: 1);
        Assert.Equal(s1, s2);
        Assert.NotEqual(s1, InternalMetrics.SilhouetteSampled(data, labels, 100, seed: 6));
    }

    // classes 000111 vs clusters 001122; contingency [[2,1,0],[0,1,2]].
    private static readonly int[] Classes = [0, 0, 0, 1, 1, 1];
    private static readonly int[] Clusters = [0, 0, 1, 1, 2, 2];

    [Fact]
    public void AdjustedRandHandCase()
    {
        // sum C(nij,2) = 2; class pairs 3+3 = 6; cluster pairs 1+1+1 = 3; C(6,2) = 15.
        // expected = 6*3/15 = 1.2; max = 4.5 -> ARI = 0.8 / 3.3 = 8/33.
        Assert.Equal(8.0 / 33, ExternalMetrics.AdjustedRandIndex(Classes, Clusters), 1e-12);
        Assert.Equal(8.0 / 33, ExternalMetrics.AdjustedRandIndex(Clusters, Classes), 1e-12);
    }

    [Fact]
    public void InformationMeasuresHandCase()
    {
        // MI = 2 * (2/6) ln(6*2/(3*2)) = (2/3) ln 2; H(C) = ln 2; H(K) = ln 3.
        var mi = 2.0 / 3 * Math.Log(2);
        Assert.Equal(mi, ExternalMetrics.MutualInformation(Classes, Clusters), 1e-12);
        Assert.Equal(mi / ((Math.Log(2) + Math.Log(3)) / 2), ExternalMetrics.NormalizedMutualInformation(Classes, Clusters), 1e-12);
        var v = ExternalMetrics.VMeasure(Classes, Clusters);
        var h = 2.0 / 3;
        var c = mi / Math.Log(3);
        Assert.Equal(h, v.Homogeneity, 1e-12);
        Assert.Equal(c, v.Completeness, 1e-12);
        Assert.Equal(2 * h * c / (h + c), v.VMeasure, 1e-12);
        Assert.Equal(Math.Log(3), ExternalMetrics.Entropy(Clusters), 1e-12);
    }

    [Fact]
    public void ContingencyTableHandCase()
    {
        var t = ContingencyTable.Create(Classes, Clusters);
        Assert.Equal(new long[] { 2, 1, 0, 0, 1, 2 }, t.ToDense());
        Assert.Equal(new long[] { 3, 3 }, t.ClassSizes);
        Assert.Equal(new long[] { 2, 2, 2 }, t.ClusterSizes);
        Assert.Throws<ArgumentException>(() => ContingencyTable.Create([1, 2], [1]));
    }

    [Fact]
    public void InvariantsHold()
    {
        var rng = new Random(3);
        var a = Enumerable.Range(0, 500).Select(_ => rng.Next(7)).ToArray();
        var b = Enumerable.Range(0, 500).Select(_ => rng.Next(5) - 1).ToArray();
        Assert.Equal(1.0, ExternalMetrics.AdjustedRandIndex(a, a), 12);
        Assert.Equal(1.0, ExternalMetrics.NormalizedMutualInformation(a, a), 12);
        Assert.Equal(1.0, ExternalMetrics.VMeasure(a, a).VMeasure, 12);

        // Renaming labels changes nothing.
        var renamed = a.Select(l => (l * 37) + 1000).ToArray();
        Assert.Equal(1.0, ExternalMetrics.AdjustedRandIndex(a, renamed), 12);
        Assert.Equal(ExternalMetrics.AdjustedRandIndex(a, b), ExternalMetrics.AdjustedRandIndex(renamed, b), 12);
        Assert.Equal(ExternalMetrics.NormalizedMutualInformation(a, b), ExternalMetrics.NormalizedMutualInformation(renamed, b), 12);

        // Independent random labellings score near 0.
        Assert.InRange(ExternalMetrics.AdjustedRandIndex(a, b), -0.05, 0.05);

        // Swapping the roles swaps homogeneity and completeness.
        var ab = ExternalMetrics.VMeasure(a, b);
        var ba = ExternalMetrics.VMeasure(b, a);
        Assert.Equal(ab.Homogeneity, ba.Completeness, 12);
        Assert.Equal(ab.VMeasure, ba.VMeasure, 12);

        // Degenerate single-group labellings.
        Assert.Equal(1.0, ExternalMetrics.AdjustedRandIndex([1, 1, 1], [4, 4, 4]));
        Assert.Equal(1.0, ExternalMetrics.NormalizedMutualInformation([1, 1, 1], [4, 4, 4]));
        Assert.Equal(0.0, ExternalMetrics.NormalizedMutualInformation([1, 1, 2, 2], [4, 4, 4, 4]));
    }

    internal static int[] Labels(string file) =>
        [.. MatrixCsv.Read(SharedData.Path("oracles", "clustering", file)).Data.Select(v => (int)v)];

    [Fact]
    public void MatchesScikitLearnOnBlobs3d()
    {
        // Reference values: scikit-learn 1.2.1 sklearn.metrics on the shared blobs3d files (truth vs. the peer's k-means labels).
        var x = NpyFile.Read(SharedData.Path("oracles", "clustering", "blobs3d.npy"));
        var truth = Labels("blobs3d.truth.csv");
        var peer = Labels("blobs3d.kmeans-sklearn.csv");
        Assert.Equal(0.7385355572241076, ExternalMetrics.AdjustedRandIndex(truth, peer), 1e-12);
        Assert.Equal(0.8278096006557627, ExternalMetrics.NormalizedMutualInformation(truth, peer), 1e-12);
        var v = ExternalMetrics.VMeasure(truth, peer);
        Assert.Equal(0.7630562959567126, v.Homogeneity, 1e-12);
        Assert.Equal(0.9045719917311902, v.Completeness, 1e-12);
        Assert.Equal(0.8278096006557626, v.VMeasure, 1e-12);
        Assert.Equal(0.73333424, InternalMetrics.Silhouette(x, peer), 1e-4);
        Assert.Equal(0.9011448, InternalMetrics.Silhouette(x, peer, DistanceMetric.Cosine), 1e-4);
        Assert.Equal(0.6149710955797517, InternalMetrics.DaviesBouldin(x, peer), 1e-5);
        Assert.Equal(10412.361967782324, InternalMetrics.CalinskiHarabasz(x, peer), 1e-2);
    }
}
