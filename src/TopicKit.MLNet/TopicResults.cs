using Microsoft.ML;
using Microsoft.ML.Data;
using TopicKit.Clustering;
using TopicKit.Numerics;

namespace TopicKit.MLNet;

/// <summary>One document's TopicKit result as an ML.NET row.</summary>
public sealed class TopicResultRow
{
    /// <summary>Document id ("" when none was given).</summary>
    public string DocumentId { get; set; } = string.Empty;

    /// <summary>Topic (cluster) label, -1 for noise.</summary>
    public int Topic { get; set; }

    /// <summary>Membership probability in [0, 1].</summary>
    public float Probability { get; set; }

    /// <summary>The document's 2-D map coordinates (x, y).</summary>
    [VectorType(2)]
    public float[] Coordinates { get; set; } = new float[2];
}

/// <summary>Hands TopicKit results to ML.NET as an <see cref="IDataView"/> with columns DocumentId, Topic, Probability, Coordinates.</summary>
public static class TopicResults
{
    /// <summary>Builds the view from per-document arrays (all of the same length).</summary>
    /// <param name="context">The ML.NET context.</param>
    /// <param name="topics">Topic label per document (-1 = noise).</param>
    /// <param name="probabilities">Membership probability per document.</param>
    /// <param name="coordinates">2-D coordinates, one row per document (N x 2).</param>
    /// <param name="documentIds">Document ids, or null.</param>
    /// <exception cref="ArgumentException">When the lengths differ, the coordinates are not 2-D, or a value is out of range.</exception>
    public static IDataView ToDataView(
        MLContext context, IReadOnlyList<int> topics, IReadOnlyList<float> probabilities, Matrix coordinates, IReadOnlyList<string>? documentIds = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(coordinates);
        var n = topics.Count;
        Check(probabilities.Count, n, "probabilities");
        Check(coordinates.Rows, n, "coordinate rows");
        if (documentIds is not null)
        {
            Check(documentIds.Count, n, "document ids");
        }

        if (coordinates.Columns != 2)
        {
            throw new ArgumentException($"The coordinates have {coordinates.Columns} columns; a topic map needs 2 (reduce to 2-D first).", nameof(coordinates));
        }

        var rows = new TopicResultRow[n];
        for (var i = 0; i < n; i++)
        {
            if (topics[i] < -1)
            {
                throw new ArgumentException($"Document {i} has topic {topics[i]}; topics are -1 (noise) or 0 and up.", nameof(topics));
            }

            if (!(probabilities[i] >= 0f && probabilities[i] <= 1f))
            {
                throw new ArgumentException($"Document {i} has probability {probabilities[i]}; it must lie in [0, 1].", nameof(probabilities));
            }

            rows[i] = new TopicResultRow
            {
                DocumentId = documentIds?[i] ?? string.Empty,
                Topic = topics[i],
                Probability = probabilities[i],
                Coordinates = coordinates.RowReadOnly(i).ToArray(),
            };
        }

        return context.Data.LoadFromEnumerable(rows);
    }

    /// <summary>Builds the view from a clusterer's output and the 2-D map of the same documents.</summary>
    public static IDataView ToDataView(MLContext context, ClusterAssignment assignment, Matrix coordinates, IReadOnlyList<string>? documentIds = null)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        return ToDataView(context, assignment.Labels, assignment.Probabilities, coordinates, documentIds);
    }

    private static void Check(int count, int expected, string what)
    {
        if (count != expected)
        {
            throw new ArgumentException($"There are {expected} topics but {count} {what}; pass one per document.");
        }
    }
}
