using TopicKit.Neighbors;
using TopicKit.Tests.Reduction;

namespace TopicKit.Tests.Neighbors;

public class NNDescentTests
{
    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Cosine)]
    public void RecallAgainstExactSearchIsHighAndDistancesAreExact(DistanceMetric metric)
    {
        var data = UmapTests.Dataset("sphere384", 10);
        const int K = 15;
        var exact = ExactKnn.SearchSelf(data, K, metric);
        var approximate = NNDescent.SearchSelf(data, K, metric, seed: 3);
        var hits = 0;
        for (var i = 0; i < data.Rows; i++)
        {
            var truth = exact.IndicesOf(i).ToArray();
            var found = approximate.IndicesOf(i);
            var distances = approximate.DistancesOf(i);
            for (var j = 0; j < K; j++)
            {
                Assert.NotEqual(i, found[j]);
                hits += truth.Contains(found[j]) ? 1 : 0;
                Assert.True(j == 0 || distances[j] >= distances[j - 1]);
                var direct = metric == DistanceMetric.Euclidean
                    ? System.Numerics.Tensors.TensorPrimitives.Distance(data.RowReadOnly(i), data.RowReadOnly(found[j]))
                    : 1 - System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(data.RowReadOnly(i), data.RowReadOnly(found[j]));
                Assert.Equal(direct, distances[j], 3e-4f);
            }
        }

        var recall = hits / (double)(data.Rows * K);
        Assert.True(recall >= 0.95, $"recall {recall:F4}");
    }

    [Fact]
    public void DeterministicForASeedAtAnyThreadCount()
    {
        var data = UmapTests.Dataset("blobs10d", 10);
        var serial = NNDescent.SearchSelf(data, 10, DistanceMetric.Euclidean, seed: 5, maxDegreeOfParallelism: 1);
        var parallel = NNDescent.SearchSelf(data, 10, DistanceMetric.Euclidean, seed: 5, maxDegreeOfParallelism: 4);
        Assert.Equal(serial.Indices, parallel.Indices);
        Assert.Equal(serial.Distances, parallel.Distances);
    }
}
