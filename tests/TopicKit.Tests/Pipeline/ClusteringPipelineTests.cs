using TopicKit.Clustering;
using TopicKit.Clustering.Metrics;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Pipeline;
using static TopicKit.Tests.Clustering.ClusterTestKit;

namespace TopicKit.Tests.Pipeline;

/// <summary>Reduce-then-cluster: defaults, determinism, the summary figures and the reduction spelling.</summary>
public sealed class ClusteringPipelineTests
{
    [Theory]
    [InlineData("none", ReductionKind.None, 0, "none")]
    [InlineData("umap", ReductionKind.Umap, 5, "umap:5")]
    [InlineData(" UMAP:7 ", ReductionKind.Umap, 7, "umap:7")]
    [InlineData("pca", ReductionKind.Pca, 50, "pca:50")]
    [InlineData("pca:3", ReductionKind.Pca, 3, "pca:3")]
    public void ReductionSpecParsesAndRoundTrips(string text, ReductionKind kind, int components, string canonical)
    {
        var spec = ReductionSpec.Parse(text);

        Assert.Equal(new ReductionSpec(kind, components), spec);
        Assert.Equal(canonical, spec.ToString());
        Assert.Equal(spec, ReductionSpec.Parse(spec.ToString()));
    }

    [Theory]
    [InlineData("none:3")]
    [InlineData("umap:")]
    [InlineData("umap:-1")]
    [InlineData("umap:0")]
    [InlineData("pca:x")]
    [InlineData("tsne:2")]
    [InlineData("")]
    public void ReductionSpecRejectsOtherSpellings(string text) =>
        Assert.Contains("Reduction", Assert.Throws<ArgumentException>(() => ReductionSpec.Parse(text)).Message, StringComparison.Ordinal);

    [Fact]
    public void DefaultsReduceWithUmapToFiveDimensionsAndRecoverSeparatedGroups()
    {
        var (data, truth) = Blobs(3, 60, 20, seed: 21);
        var stages = new List<string>();

        var result = ClusteringPipeline.Run(data, new ClusteringPipelineOptions(), new SynchronousProgress(stages));

        Assert.Equal(new ReductionSpec(ReductionKind.Umap, 5), result.Reduction);
        Assert.Equal(5, result.ClusteredColumns);
        Assert.Equal(DistanceMetric.Euclidean, result.ClusterMetric);
        Assert.NotNull(result.Hdbscan);
        Assert.Equal(3, result.Assignment.ClusterCount);
        AssertPartitionOfClustered(truth, result.Assignment.Labels);
        Assert.True(result.NoiseShare < 0.1, $"noise share {result.NoiseShare}");
        Assert.True(result.Silhouette > 0.5, $"silhouette {result.Silhouette}");
        Assert.Collection(
            stages,
            s => Assert.StartsWith("reducing 180 x 20 with umap:5", s, StringComparison.Ordinal),
            s => Assert.StartsWith("hdbscan on 180 x 5", s, StringComparison.Ordinal),
            s => Assert.StartsWith("silhouette on", s, StringComparison.Ordinal));
    }

    [Fact]
    public void SameSeedGivesIdenticalResultsAtAnyThreadCount()
    {
        var (data, _) = Blobs(3, 50, 12, seed: 22);
        var options = new ClusteringPipelineOptions { MinClusterSize = 8, Seed = 5 };

        var parallel = ClusteringPipeline.Run(data, options);
        var serial = ClusteringPipeline.Run(data, options with { MaxDegreeOfParallelism = 1 });

        Assert.Equal(parallel.Assignment.Labels, serial.Assignment.Labels);
        Assert.Equal(parallel.Assignment.Probabilities, serial.Assignment.Probabilities);
        Assert.Equal(parallel.Assignment.OutlierScores, serial.Assignment.OutlierScores);
        Assert.Equal(parallel.Silhouette, serial.Silhouette);
    }

    [Fact]
    public void KMeansAfterPcaClustersInTheReducedSpace()
    {
        var (data, truth) = Blobs(4, 30, 10, seed: 23);

        var result = ClusteringPipeline.Run(data, new ClusteringPipelineOptions
        {
            Algorithm = ClusterAlgorithm.KMeans,
            K = 4,
            NInit = 3,
            Reduction = ReductionSpec.Parse("pca:3"),
        });

        Assert.Equal(3, result.ClusteredColumns);
        Assert.NotNull(result.KMeans);
        AssertSamePartition(truth, result.Assignment.Labels);
        Assert.Equal(0, result.NoiseCount);
        Assert.Equal(Enumerable.Repeat(30, 4), result.ClusterSizes);
    }

    [Fact]
    public void SilhouetteMatchesTheHandComputedValue()
    {
        // Points 0, 1, 10, 11 in two clusters: s = 1 - 1/10.5 for the outer points and 1 - 1/9.5 for the inner ones;
        // each point lies 0.5 from its centroid, so the inertia is 4 x 0.25.
        var data = new Matrix([0f, 1f, 10f, 11f], 4, 1);

        var result = ClusteringPipeline.Run(data, new ClusteringPipelineOptions { Algorithm = ClusterAlgorithm.KMeans, K = 2, NInit = 2 });

        var expected = ((1 - (1 / 10.5)) + (1 - (1 / 9.5))) / 2;
        Assert.Equal(expected, result.Silhouette!.Value, 6);
        Assert.Equal(4, result.SilhouettePoints);
        Assert.Equal(4 * 0.25, result.KMeans!.Inertia, 5);
    }

    [Fact]
    public void LargeInputsUseASampledSilhouetteCloseToTheExactOne()
    {
        var (data, _) = Blobs(3, 400, 4, seed: 24, spread: 2.5f);
        var options = new ClusteringPipelineOptions { Algorithm = ClusterAlgorithm.KMeans, K = 3, SilhouetteSampleSize = 300 };

        var result = ClusteringPipeline.Run(data, options);

        Assert.Equal(300, result.SilhouettePoints);
        var exact = InternalMetrics.Silhouette(data, result.Assignment.Labels);
        Assert.True(Math.Abs(exact - result.Silhouette!.Value) < 0.05, $"sampled {result.Silhouette} vs exact {exact}");
    }

    [Fact]
    public void AKRangeReportsEveryCandidateAndKeepsTheBest()
    {
        var (data, truth) = Blobs(3, 40, 5, seed: 25);

        var result = ClusteringPipeline.Run(data, new ClusteringPipelineOptions { Algorithm = ClusterAlgorithm.KMeans, KRange = (2, 6) });

        Assert.Equal([2, 3, 4, 5, 6], result.Candidates!.Select(c => c.K));
        Assert.Equal(result.Candidates!.MaxBy(c => c.Silhouette)!.K, result.KMeans!.K);
        Assert.Equal(3, result.KMeans.K);
        AssertSamePartition(truth, result.Assignment.Labels);
    }

    [Fact]
    public void CancellationStopsBeforeAnyWork()
    {
        var (data, _) = Blobs(2, 20, 3, seed: 26);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => ClusteringPipeline.Run(data, null, null, cancelled.Token));
    }

    private static void AssertPartitionOfClustered(int[] truth, int[] labels)
    {
        var kept = Enumerable.Range(0, truth.Length).Where(i => labels[i] >= 0).ToArray();
        Assert.Equal(1.0, ExternalMetrics.AdjustedRandIndex(kept.Select(i => truth[i]).ToArray(), kept.Select(i => labels[i]).ToArray()), 9);
    }

    private sealed class SynchronousProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }
}
