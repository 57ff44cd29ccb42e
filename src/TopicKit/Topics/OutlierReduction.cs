using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>How outliers find a topic.</summary>
public enum OutlierStrategy
{
    /// <summary>Cosine similarity of the document's c-TF-IDF vector to each topic's row.</summary>
    ClassTfidf = 0,

    /// <summary>Cosine similarity of the document's embedding to each topic's centroid.</summary>
    Embeddings = 1,

    /// <summary>A given documents x topics probability matrix, e.g. HDBSCAN soft membership.</summary>
    Probabilities = 2,
}

/// <summary>Settings of <see cref="OutlierReduction"/>.</summary>
/// <param name="Strategy">Which similarity decides (default c-TF-IDF).</param>
/// <param name="Threshold">An outlier moves only when its best similarity or probability is at least this (default 0).</param>
public sealed record OutlierReductionOptions(OutlierStrategy Strategy = OutlierStrategy.ClassTfidf, double Threshold = 0);

/// <summary>The outcome of <see cref="OutlierReduction.Reduce"/>.</summary>
/// <param name="Labels">New label per document.</param>
/// <param name="Moved">How many outliers got a topic.</param>
/// <param name="OutliersBefore">Outliers before.</param>
/// <param name="Representation">The topics refitted on the new labels (keywords and sizes updated together).</param>
public sealed record OutlierReductionResult(int[] Labels, int Moved, int OutliersBefore, TopicRepresentation Representation)
{
    /// <summary>Outliers after.</summary>
    public int OutliersAfter => OutliersBefore - Moved;
}

/// <summary>
/// Assigns outliers (label -1) to their most similar topic in one step: the labels change and the topics are refitted
/// at once, so keywords and counts never disagree with the assignment (BERTopic's separate <c>update_topics</c>, #1785).
/// An outlier whose best score is zero or below the threshold stays an outlier; ties go to the smaller topic id.
/// </summary>
public static class OutlierReduction
{
    /// <summary>Reduces the outliers of <paramref name="documents"/>.</summary>
    /// <param name="documents">Texts, current labels and (for <see cref="OutlierStrategy.Embeddings"/>) embeddings.</param>
    /// <param name="representation">The current topics (for their c-TF-IDF rows and centroids).</param>
    /// <param name="representer">Refits the topics on the new labels.</param>
    /// <param name="options">Strategy and threshold.</param>
    /// <param name="probabilities">For <see cref="OutlierStrategy.Probabilities"/>: documents x topics, columns the non-outlier topics in id order.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="ArgumentException">When the strategy's input is missing or has the wrong shape.</exception>
    public static OutlierReductionResult Reduce(
        TopicDocuments documents,
        TopicRepresentation representation,
        ITopicRepresenter representer,
        OutlierReductionOptions? options = null,
        Matrix? probabilities = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentNullException.ThrowIfNull(representer);
        documents.Validate();
        options ??= new OutlierReductionOptions();
        var labels = documents.Labels.ToArray();
        var outliers = Enumerable.Range(0, labels.Length).Where(d => labels[d] == -1).ToArray();
        var topics = representation.Topics.Where(t => t.Id != -1).ToArray();
        if (outliers.Length == 0 || topics.Length == 0)
        {
            return new OutlierReductionResult(labels, 0, outliers.Length, representation);
        }

        var scores = Scores(documents, representation, topics, outliers, options.Strategy, probabilities, cancellationToken);
        var moved = 0;
        for (var o = 0; o < outliers.Length; o++)
        {
            var row = scores.RowReadOnly(o);
            var best = TensorPrimitives.IndexOfMax(row);
            if (row[best] > 0 && row[best] >= options.Threshold)
            {
                labels[outliers[o]] = topics[best].Id;
                moved++;
            }
        }

        var refitted = moved == 0 ? representation : representer.Fit(documents.WithLabels(labels), cancellationToken);
        return new OutlierReductionResult(labels, moved, outliers.Length, refitted);
    }

    private static Matrix Scores(
        TopicDocuments documents, TopicRepresentation representation, Topic[] topics, int[] outliers, OutlierStrategy strategy, Matrix? probabilities, CancellationToken cancellationToken)
    {
        switch (strategy)
        {
            case OutlierStrategy.ClassTfidf:
            {
                var all = representation.DocumentTopicSimilarity(outliers.Select(d => documents.Texts[d]).ToArray(), cancellationToken);
                var columns = topics.Select(t => representation.IndexOf(t.Id)).ToArray();
                var result = new Matrix(outliers.Length, topics.Length);
                for (var o = 0; o < outliers.Length; o++)
                {
                    for (var k = 0; k < columns.Length; k++)
                    {
                        result[o, k] = all[o, columns[k]];
                    }
                }

                return result;
            }

            case OutlierStrategy.Embeddings:
            {
                var embeddings = documents.Embeddings
                    ?? throw new ArgumentException("the embeddings strategy needs the documents' embeddings.", nameof(documents));
                if (topics.Any(t => t.Centroid is null || t.Centroid.Length != embeddings.Columns))
                {
                    throw new ArgumentException("the embeddings strategy needs topic centroids of the embeddings' dimension; fit the topics with embeddings.", nameof(representation));
                }

                var result = new Matrix(outliers.Length, topics.Length);
                for (var o = 0; o < outliers.Length; o++)
                {
                    var row = embeddings.RowReadOnly(outliers[o]);
                    for (var k = 0; k < topics.Length; k++)
                    {
                        result[o, k] = TensorPrimitives.CosineSimilarity(row, topics[k].Centroid);
                    }
                }

                FixNaN(result);
                return result;
            }

            case OutlierStrategy.Probabilities:
            {
                if (probabilities is null || probabilities.Rows != documents.Count || probabilities.Columns != topics.Length)
                {
                    throw new ArgumentException(
                        $"the probabilities strategy needs a {documents.Count} x {topics.Length} matrix (documents x topics in id order){(probabilities is null ? "" : $", not {probabilities.Rows} x {probabilities.Columns}")}.",
                        nameof(probabilities));
                }

                return probabilities.SelectRows(outliers);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "unknown outlier strategy.");
        }
    }

    // A zero vector has no cosine; it must not win a topic.
    private static void FixNaN(Matrix m)
    {
        var data = m.Data.AsSpan();
        for (var i = 0; i < data.Length; i++)
        {
            if (float.IsNaN(data[i]))
            {
                data[i] = 0f;
            }
        }
    }
}
