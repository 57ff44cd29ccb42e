namespace TopicKit.Pipeline;

/// <summary>Topic ids from cluster labels: topic 0 is the largest cluster, as in BERTopic; -1 stays the outlier class.</summary>
internal static class TopicNumbering
{
    /// <summary>The topic id of each cluster label 0..clusterCount-1, by decreasing size (ties: lower label first); empty clusters get -1.</summary>
    public static int[] BySize(IReadOnlyList<int> labels, int clusterCount)
    {
        var sizes = new int[clusterCount];
        foreach (var label in labels)
        {
            if (label >= 0)
            {
                sizes[label]++;
            }
        }

        var order = Enumerable.Range(0, clusterCount).Where(c => sizes[c] > 0).OrderByDescending(c => sizes[c]).ThenBy(c => c).ToArray();
        var topicOf = new int[clusterCount];
        Array.Fill(topicOf, -1);
        for (var t = 0; t < order.Length; t++)
        {
            topicOf[order[t]] = t;
        }

        return topicOf;
    }

    /// <summary>Maps cluster labels to topic ids (-1 stays -1).</summary>
    public static int[] Apply(IReadOnlyList<int> labels, IReadOnlyList<int> topicOf)
    {
        var topics = new int[labels.Count];
        for (var i = 0; i < topics.Length; i++)
        {
            topics[i] = labels[i] < 0 ? -1 : topicOf[labels[i]];
        }

        return topics;
    }
}
