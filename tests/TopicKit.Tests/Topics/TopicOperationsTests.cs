using TopicKit.Numerics;
using TopicKit.Topics;

namespace TopicKit.Tests.Topics;

/// <summary>Outlier reduction, merging, deleting and reducing topics, with expected results worked out by hand.</summary>
public sealed class TopicOperationsTests
{
    private static readonly ClassTfidfRepresenter Representer = new(new ClassTfidfOptions(StopWords: StopWordList.None));

    // Rows 4-6 are outliers: row 4 shares "apple" with topic 0, row 5 "zebra" with topic 1, row 6 nothing.
    private static readonly TopicDocuments WithOutliers = new(
        ["apple banana", "apple cherry", "zebra lion", "zebra tiger", "apple pie", "zebra stripes", "quantum physics"],
        [0, 0, 1, 1, -1, -1, -1])
    {
        Embeddings = new Matrix([1, 0, 1, 0, 0, 1, 0, 1, 0.9f, 0.1f, 0.2f, 0.8f, -1, -1], 7, 2),
    };

    [Fact]
    public void ClassTfidfStrategyMovesExactlyTheOverlappingOutliers()
    {
        var fitted = Representer.Fit(WithOutliers);
        var result = OutlierReduction.Reduce(WithOutliers, fitted, Representer);
        Assert.Equal([0, 0, 1, 1, 0, 1, -1], result.Labels);
        Assert.Equal(2, result.Moved);
        Assert.Equal(3, result.OutliersBefore);
        Assert.Equal(1, result.OutliersAfter);

        // Keywords and counts follow the new labels in the same step.
        Assert.Equal(3, result.Representation.GetTopic(0).Size);
        Assert.Contains("pie", result.Representation.GetTopic(0).Keywords.Select(k => k.Term));
        Assert.Equal(1, result.Representation.GetTopic(-1).Size);

        var strict = OutlierReduction.Reduce(WithOutliers, fitted, Representer, new OutlierReductionOptions(Threshold: 0.99));
        Assert.Equal(0, strict.Moved);
        Assert.Equal(WithOutliers.Labels, strict.Labels);
    }

    [Fact]
    public void EmbeddingAndProbabilityStrategies()
    {
        var fitted = Representer.Fit(WithOutliers);

        // Centroids (1, 0) and (0, 1): row 4 (0.9, 0.1) -> 0, row 5 (0.2, 0.8) -> 1, row 6 (-1, -1) has negative cosines and stays.
        var byEmbedding = OutlierReduction.Reduce(WithOutliers, fitted, Representer, new OutlierReductionOptions(OutlierStrategy.Embeddings));
        Assert.Equal([0, 0, 1, 1, 0, 1, -1], byEmbedding.Labels);

        // Threshold 0.5: row 4 best 0.6 -> topic 1; row 5 best 0.4 stays; row 6 best 0.5 -> topic 0.
        var probabilities = new Matrix([1, 0, 1, 0, 0, 1, 0, 1, 0.3f, 0.6f, 0.4f, 0.1f, 0.5f, 0.2f], 7, 2);
        var byProbability = OutlierReduction.Reduce(WithOutliers, fitted, Representer, new OutlierReductionOptions(OutlierStrategy.Probabilities, 0.5), probabilities);
        Assert.Equal([0, 0, 1, 1, 1, -1, 0], byProbability.Labels);
        Assert.Equal(2, byProbability.Moved);
        Assert.Throws<ArgumentException>(() => OutlierReduction.Reduce(WithOutliers, fitted, Representer, new OutlierReductionOptions(OutlierStrategy.Probabilities)));
    }

    [Fact]
    public void MergeAndDeleteReturnTheMapping()
    {
        // Sizes: topic 0: 2, topic 1: 2, topic 2: 2, topic 3: 1.
        var docs = new TopicDocuments(["aa bb", "aa cc", "dd ee", "dd ff", "gg hh", "gg ii", "jj kk", "zz"], [0, 0, 1, 1, 2, 2, 3, -1]);

        // 2 + 3 -> 3 documents, the largest, so it becomes 0; then old 0 (2, smaller old id) and old 1.
        var merged = TopicReduction.Merge(docs, Representer, [[2, 3]]);
        Assert.Equal(new Dictionary<int, int> { [-1] = -1, [0] = 1, [1] = 2, [2] = 0, [3] = 0 }, merged.Mapping);
        Assert.Equal([1, 1, 2, 2, 0, 0, 0, -1], merged.Labels);
        Assert.Equal(3, merged.Representation.GetTopic(0).Size);
        Assert.Equal("gg", merged.Representation.GetTopic(0).Keywords[0].Term);

        var deleted = TopicReduction.Delete(docs, Representer, [1]);
        Assert.Equal(new Dictionary<int, int> { [-1] = -1, [0] = 0, [1] = -1, [2] = 1, [3] = 2 }, deleted.Mapping);
        Assert.Equal([0, 0, -1, -1, 1, 1, 2, -1], deleted.Labels);
        Assert.Equal(3, deleted.Representation.GetTopic(-1).Size);

        Assert.Throws<ArgumentException>(() => TopicReduction.Merge(docs, Representer, [[1, 9]]));
        Assert.Throws<ArgumentException>(() => TopicReduction.Merge(docs, Representer, [[1, 2], [2, 3]]));
    }

    [Fact]
    public void ReduceMergesTheClosestTopics()
    {
        // Topics 0 and 1 share their words; topic 2 shares none (cosine distance 1).
        var docs = new TopicDocuments(["apple banana", "apple banana", "apple banana cherry", "apple banana", "zebra lion", "zebra lion"], [0, 0, 1, 1, 2, 2]);
        var fitted = Representer.Fit(docs);
        var reduced = TopicReduction.ReduceTo(docs, fitted, Representer, 2);
        Assert.Equal(new Dictionary<int, int> { [-1] = -1, [0] = 0, [1] = 0, [2] = 1 }, reduced.Mapping);
        Assert.Equal([0, 0, 0, 0, 1, 1], reduced.Labels);

        // Merge heights: a small one (0 with 1), then 1.0: the widest gap is before the second merge.
        var auto = TopicReduction.ReduceTo(docs, fitted, Representer, null);
        Assert.Equal(reduced.Mapping, auto.Mapping);
        Assert.Equal(2, auto.Representation.Topics.Count);
    }
}
