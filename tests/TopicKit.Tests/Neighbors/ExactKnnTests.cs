using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Tests.Neighbors;

public sealed class ExactKnnTests
{
    internal static Matrix Random(int rows, int cols, int seed)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, cols);
        for (var i = 0; i < m.Data.Length; i++)
        {
            m.Data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return m;
    }

    // Independent reference: double-precision distances, full sort by (distance, index).
    private static (int[] Idx, double[] Dist) Brute(Matrix data, Matrix queries, int k, DistanceMetric metric, bool self)
    {
        var idx = new int[queries.Rows * k];
        var dist = new double[queries.Rows * k];
        for (var i = 0; i < queries.Rows; i++)
        {
            var list = new List<(double D, int J)>();
            for (var j = 0; j < data.Rows; j++)
            {
                if (self && i == j)
                {
                    continue;
                }

                double dot = 0, qq = 0, xx = 0, sq = 0;
                for (var c = 0; c < data.Columns; c++)
                {
                    double a = queries[i, c], b = data[j, c];
                    dot += a * b;
                    qq += a * a;
                    xx += b * b;
                    sq += (a - b) * (a - b);
                }

                list.Add((metric == DistanceMetric.Euclidean ? Math.Sqrt(sq) : 1 - (dot / Math.Sqrt(qq * xx)), j));
            }

            list.Sort((u, v) => u.D != v.D ? u.D.CompareTo(v.D) : u.J.CompareTo(v.J));
            for (var t = 0; t < k; t++)
            {
                idx[(i * k) + t] = list[t].J;
                dist[(i * k) + t] = list[t].D;
            }
        }

        return (idx, dist);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean, 37)]
    [InlineData(DistanceMetric.Cosine, 384)]
    [InlineData(DistanceMetric.Euclidean, 3)]
    public void MatchesBruteForceOnRandomData(DistanceMetric metric, int dim)
    {
        var data = Random(301, dim, 1);
        var queries = Random(45, dim, 2);
        var got = ExactKnn.Search(data, queries, 7, metric);
        var (idx, dist) = Brute(data, queries, 7, metric, self: false);
        Assert.Equal(idx, got.Indices);
        for (var i = 0; i < dist.Length; i++)
        {
            Assert.Equal(dist[i], got.Distances[i], 1e-5 * Math.Max(1, dist[i]));
        }

        var self = ExactKnn.SearchSelf(data, 5, metric);
        var (sIdx, sDist) = Brute(data, data, 5, metric, self: true);
        Assert.Equal(sIdx, self.Indices);
        for (var i = 0; i < sDist.Length; i++)
        {
            Assert.Equal(sDist[i], self.Distances[i], 1e-5 * Math.Max(1, sDist[i]));
        }
    }

    [Fact]
    public void MatchesBruteForceFarFromOrigin()
    {
        // Offsetting by 3000 makes ||a||² ≈ 9e6 * d: without centring, float cancellation would swamp unit-scale gaps.
        var data = Random(200, 8, 31);
        foreach (ref var v in data.Data.AsSpan())
        {
            v += 3000f;
        }

        var got = ExactKnn.SearchSelf(data, 4);
        var (idx, dist) = Brute(data, data, 4, DistanceMetric.Euclidean, self: true);
        Assert.Equal(idx, got.Indices);
        for (var i = 0; i < dist.Length; i++)
        {
            Assert.Equal(dist[i], got.Distances[i], 1e-4);
        }
    }

    [Fact]
    public void HandCaseOnALineBreaksTiesByIndex()
    {
        // Points 0, 1, 2, 3, 3 on a line (two copies of 3).
        var data = new Matrix([0f, 1f, 2f, 3f, 3f], 5, 1);
        var r = ExactKnn.SearchSelf(data, 2);
        // Point 1: neighbours 0 and 2 both at distance 1 -> lower index first.
        Assert.Equal(new[] { 0, 2 }, r.IndicesOf(1).ToArray());
        Assert.Equal(new[] { 1f, 1f }, r.DistancesOf(1).ToArray());
        // Point 3: its duplicate 4 at 0, then 2 at 1.
        Assert.Equal(new[] { 4, 2 }, r.IndicesOf(3).ToArray());
        Assert.Equal(new[] { 0f, 1f }, r.DistancesOf(3).ToArray());
        // Point 0: 1 at 1, 2 at 2.
        Assert.Equal(new[] { 1, 2 }, r.IndicesOf(0).ToArray());
        Assert.Equal(new[] { 1f, 2f }, r.DistancesOf(0).ToArray());
    }

    [Fact]
    public void CosineHandCase()
    {
        // (1,0) vs (1,1): cos = 1/sqrt2 -> distance 1 - 0.70710678; vs (0,2): distance 1; vs (-3,0): distance 2.
        var data = new Matrix([1f, 1f, 0f, 2f, -3f, 0f], 3, 2);
        var q = new Matrix([1f, 0f], 1, 2);
        var r = ExactKnn.Search(data, q, 3, DistanceMetric.Cosine);
        Assert.Equal(new[] { 0, 1, 2 }, r.Indices);
        Assert.Equal(1 - Math.Sqrt(0.5), r.Distances[0], 1e-6);
        Assert.Equal(1.0, r.Distances[1], 1e-6);
        Assert.Equal(2.0, r.Distances[2], 1e-6);

        // An all-zero row is orthogonal to everything: cosine distance 1.
        var withZero = new Matrix([0f, 0f, 1f, 0f, 0f, 3f], 3, 2);
        var z = ExactKnn.SearchSelf(withZero, 2, DistanceMetric.Cosine);
        Assert.Equal(new[] { 1f, 1f }, z.DistancesOf(0).ToArray());
        Assert.Equal(new[] { 0, 2 }, z.IndicesOf(1).ToArray());
    }

    [Fact]
    public void SameResultAtAnyThreadCount()
    {
        var data = Random(700, 40, 3);
        var one = ExactKnn.SearchSelf(data, 10, DistanceMetric.Euclidean, maxDegreeOfParallelism: 1);
        var many = ExactKnn.SearchSelf(data, 10, DistanceMetric.Euclidean, maxDegreeOfParallelism: 4);
        Assert.Equal(one.Indices, many.Indices);
        Assert.Equal(one.Distances, many.Distances);
    }

    [Fact]
    public void LargeKUsesFullSortAndStaysOrdered()
    {
        var data = Random(120, 5, 4);
        var r = ExactKnn.SearchSelf(data, 119);
        for (var i = 0; i < r.Rows; i++)
        {
            var d = r.DistancesOf(i);
            for (var t = 1; t < d.Length; t++)
            {
                Assert.True(d[t - 1] <= d[t]);
            }

            Assert.DoesNotContain(i, r.IndicesOf(i).ToArray());
            Assert.Equal(119, r.IndicesOf(i).ToArray().Distinct().Count());
        }
    }

    [Fact]
    public void RejectsBadInput()
    {
        var data = Random(5, 2, 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactKnn.SearchSelf(data, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExactKnn.Search(data, data, 0));
        Assert.Throws<ArgumentException>(() => ExactKnn.Search(data, Random(2, 3, 6), 1));
        data[2, 1] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => ExactKnn.SearchSelf(data, 2));
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }
}
