using TopicKit.Clustering.Metrics;
using TopicKit.Pipeline;
using TopicKit.Tests.Infrastructure;

namespace TopicKit.Tests.Clustering;

/// <summary>
/// The no-collapse property of the default clustering (UMAP 5-D cosine, HDBSCAN min cluster size 10, EOM with the
/// default cluster-share cap) on the 2,000 arXiv papers, over seeds, for the lexical encoder and USE-lite: no cluster
/// above half the documents, and V-measure against the arXiv archives at least the peer chain's on the same vectors
/// (umap-learn 0.5.3 5-D cosine then R dbscan 1.1.11 hdbscan(minPts = 10), seed 42: lexical 0.383, USE-lite 0.284;
/// <c>TopicKit.Bench defaults --peer</c>). Before the cap, USE-lite seeds 0 and 1 gave one cluster of 97.5% (V 0.04)
/// on the vectors <c>topickit embed</c> stored.
/// </summary>
public sealed class ClusteringDefaultsTests
{
    private static readonly int[] Seeds = [0, 1, 2, 3, 42];

    public static TheoryData<string, double> Encoders => new() { { "lexical", 0.383 }, { "use-lite", 0.284 } };

    [Theory]
    [MemberData(nameof(Encoders))]
    public void NoSeedGivesOneGiantTopicAndEverySeedMatchesThePeerChain(string encoder, double peerVMeasure)
    {
        var vectors = encoder == "lexical" ? ArxivSet.Lexical() : ArxivSet.UseLite();
        var truth = ArxivSet.ArchiveLabels;
        var failures = new List<string>();
        foreach (var seed in Seeds)
        {
            var result = ClusteringPipeline.Run(vectors, new ClusteringPipelineOptions { Seed = seed });
            var largest = result.ClusterSizes.DefaultIfEmpty(0).Max() / (double)vectors.Rows;
            var v = ExternalMetrics.VMeasure(truth, [.. result.Assignment.Labels]).VMeasure;
            var line = FormattableString.Invariant($"seed {seed}: {result.ClusterSizes.Count} clusters, largest {largest:P1}, V-measure {v:F3}");
            if (largest > 0.5 || v < peerVMeasure || result.ClusterSizes.Count < 2)
            {
                failures.Add(line);
            }
        }

        Assert.True(failures.Count == 0, $"{encoder} (peer V-measure {peerVMeasure}): " + string.Join("; ", failures));
    }

    [Fact]
    public void TheArxivSetMatchesItsLabelFile()
    {
        // 2,000 papers in 18 archives, each paper's label found by id (an independent check of the loader).
        Assert.Equal(2000, ArxivSet.Texts.Count);
        Assert.Equal(18, ArxivSet.ArchiveLabels.Distinct().Count());
        Assert.StartsWith("Calculation of prompt diphoton production cross sections at Tevatron and LHC energies. A fully differential", ArxivSet.Texts[0], StringComparison.Ordinal);
    }
}
