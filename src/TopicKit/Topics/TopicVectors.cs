namespace TopicKit.Topics;

/// <summary>Which vectors stand for a topic when topics are compared.</summary>
public enum TopicVectorSource
{
    /// <summary>The topic's c-TF-IDF row.</summary>
    ClassTfidf = 0,

    /// <summary>The topic's centroid (mean document embedding).</summary>
    Centroids = 1,
}

/// <summary>Topic-to-topic comparisons: vectors and the cosine similarity matrix.</summary>
public static class TopicVectors
{
    /// <summary>The dense vector of each topic (in <see cref="TopicRepresentation.Topics"/> order, outliers left out when asked).</summary>
    /// <exception cref="ArgumentException">When centroids are asked for but the topics have none.</exception>
    public static float[][] Of(TopicRepresentation representation, TopicVectorSource source, bool includeOutliers = false)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var rows = new List<float[]>();
        for (var k = 0; k < representation.Topics.Count; k++)
        {
            var topic = representation.Topics[k];
            if (topic.Id == -1 && !includeOutliers)
            {
                continue;
            }

            if (source == TopicVectorSource.Centroids)
            {
                rows.Add(topic.Centroid ?? throw new ArgumentException("the topics have no centroids; fit them with embeddings or use c-TF-IDF vectors.", nameof(source)));
                continue;
            }

            var dense = new float[representation.Vocabulary.Count];
            var idx = representation.ClassTfidf.RowIndices(k);
            var val = representation.ClassTfidf.RowValues(k);
            for (var p = 0; p < idx.Length; p++)
            {
                dense[idx[p]] = val[p];
            }

            rows.Add(dense);
        }

        return [.. rows];
    }

    /// <summary>Cosine similarity between topics (outlier class left out): a symmetric topics x topics matrix, ids in <paramref name="ids"/>.</summary>
    public static double[,] Similarity(TopicRepresentation representation, out int[] ids, TopicVectorSource source = TopicVectorSource.ClassTfidf)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ids = representation.Topics.Where(t => t.Id != -1).Select(t => t.Id).ToArray();
        var d = Agglomerative.CosineDistances(Of(representation, source));
        var n = ids.Length;
        var s = new double[n, n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                s[i, j] = i == j ? 1.0 : 1.0 - d[i, j];
            }
        }

        return s;
    }
}
