using TopicKit.Neighbors;
using TopicKit.Numerics;

namespace TopicKit.Pipeline;

/// <summary>Topic assignment of new documents by a similarity-weighted vote of their nearest training documents.</summary>
internal static class NeighborVote
{
    /// <summary>The topic, vote share, best similarity and map position of each query.</summary>
    public static TopicPrediction Assign(
        Matrix training, IReadOnlyList<int> topics, Matrix? map, Matrix queries, TopicTransformOptions options, CancellationToken cancellationToken)
    {
        var k = Math.Min(options.Neighbors, training.Rows);
        var knn = ExactKnn.Search(training, queries, k, DistanceMetric.Cosine, options.MaxDegreeOfParallelism, cancellationToken);
        var m = queries.Rows;
        var result = new int[m];
        var probability = new float[m];
        var nearest = new float[m];
        var positions = map is null ? null : new Matrix(m, map.Columns);
        var threshold = options.MinSimilarity ?? double.NegativeInfinity;
        var votes = new Dictionary<int, double>();
        var weights = new double[k];
        for (var i = 0; i < m; i++)
        {
            var indices = knn.IndicesOf(i);
            var distances = knn.DistancesOf(i);
            var best = 1.0 - distances[0];
            var total = 0.0;
            votes.Clear();
            for (var j = 0; j < k; j++)
            {
                weights[j] = Math.Exp((1.0 - distances[j] - best) / options.Temperature);
                total += weights[j];
                var topic = topics[indices[j]];
                votes[topic] = votes.GetValueOrDefault(topic) + weights[j];
            }

            // The heaviest topic wins; equal weights go to the lower topic id, so ties never depend on neighbour order.
            var winner = int.MaxValue;
            var winnerWeight = double.NegativeInfinity;
            foreach (var (topic, weight) in votes)
            {
                if (weight > winnerWeight || (weight == winnerWeight && topic < winner))
                {
                    winner = topic;
                    winnerWeight = weight;
                }
            }

            nearest[i] = (float)best;
            var outlier = winner < 0 || best < threshold;
            result[i] = outlier ? -1 : winner;
            probability[i] = outlier ? 0f : (float)(winnerWeight / total);
            if (positions is not null)
            {
                var target = positions!.Row(i);
                for (var j = 0; j < k; j++)
                {
                    var source = map!.RowReadOnly(indices[j]);
                    for (var c = 0; c < target.Length; c++)
                    {
                        target[c] += (float)(weights[j] / total * source[c]);
                    }
                }
            }
        }

        return new TopicPrediction(result, probability, nearest, positions);
    }

    /// <summary>
    /// The 1st percentile of the training documents' similarity to their nearest other training document, over a
    /// seeded sample of at most <paramref name="sample"/> documents: new documents less similar than that to all of
    /// the training set are stranger than 99% of the training set is to itself.
    /// </summary>
    public static double DefaultMinSimilarity(Matrix training, int sample, int maxDegreeOfParallelism, CancellationToken cancellationToken)
    {
        var n = training.Rows;
        var rows = Enumerable.Range(0, n).ToArray();
        if (n > sample)
        {
            var random = new SeededRandom(0x70_71_C5);
            for (var i = 0; i < sample; i++)
            {
                var j = i + (int)(random.NextDouble() * (n - i));
                (rows[i], rows[j]) = (rows[j], rows[i]);
            }

            rows = rows[..sample];
            Array.Sort(rows);
        }

        var queries = training.SelectRows(rows);
        var knn = ExactKnn.Search(training, queries, Math.Min(2, n), DistanceMetric.Cosine, maxDegreeOfParallelism, cancellationToken);
        var similarities = new double[rows.Length];
        for (var q = 0; q < rows.Length; q++)
        {
            // The query itself is in the training set: take the best hit that is another row.
            var indices = knn.IndicesOf(q);
            var distances = knn.DistancesOf(q);
            var other = indices[0] == rows[q] && indices.Length > 1 ? 1 : 0;
            similarities[q] = 1.0 - distances[other];
        }

        Array.Sort(similarities);
        return similarities[(int)Math.Floor(0.01 * (similarities.Length - 1))];
    }
}
