using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Tests.Neighbors;

public sealed class KdTreeTests
{
    [Theory]
    [InlineData(2, 1)]
    [InlineData(5, 4)]
    [InlineData(12, 32)]
    public void KnnMatchesBruteForceIncludingDuplicatesAndTies(int dims, int leafSize)
    {
        var rng = new Random(7);
        var n = 600;
        var data = new Matrix(n, dims);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < dims; j++)
            {
                // Coarse integer grid: many exact duplicates and equal distances to exercise the index tie-break.
                data[i, j] = rng.Next(0, 6);
            }
        }

        var tree = KdTree.Build(data, leafSize);
        const int k = 9;
        var indices = new int[k];
        var distances = new double[k];
        for (var i = 0; i < n; i += 7)
        {
            var found = tree.Query(data.RowReadOnly(i), k, indices, distances, exclude: i);
            Assert.Equal(k, found);
            var expected = Enumerable.Range(0, n).Where(j => j != i)
                .Select(j => (D: Math.Sqrt(Enumerable.Range(0, dims).Sum(c => Math.Pow(data[i, c] - data[j, c], 2))), J: j))
                .OrderBy(x => x.D).ThenBy(x => x.J).Take(k).ToList();
            Assert.Equal(expected.Select(x => x.J), indices);
            Assert.Equal(expected.Select(x => x.D), distances);
        }
    }

    [Fact]
    public void QueryValidatesItsArguments()
    {
        var tree = KdTree.Build(new Matrix([0f, 0f, 1f, 1f], 2, 2));
        Assert.Throws<ArgumentException>(() => tree.Query(new float[3], 1, new int[1], new double[1]));
        Assert.Throws<ArgumentException>(() => tree.Query(new float[2], 2, new int[1], new double[2]));
        var idx = new int[5];
        Assert.Equal(2, tree.Query(new float[2], 5, idx, new double[5]));
    }
}
