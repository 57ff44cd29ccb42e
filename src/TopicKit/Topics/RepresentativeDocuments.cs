using System.Numerics.Tensors;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// Picks each topic's representative documents: its documents closest to the topic's centroid (cosine, when
/// embeddings are given) or to its c-TF-IDF row, skipping any text already picked, so no text appears twice
/// (BERTopic issues #2491/#2492). Ties go to the earlier row.
/// </summary>
internal static class RepresentativeDocuments
{
    public static int[][] Select(TopicRepresentation representation, TopicDocuments documents, int[] classOf, int count, CancellationToken cancellationToken)
    {
        var classes = representation.Topics.Count;
        var result = new int[classes][];
        if (count == 0 || documents.Count == 0)
        {
            Array.Fill(result, []);
            return result;
        }

        var score = documents.Embeddings is not null && representation.Topics.All(t => t.Centroid is not null)
            ? CentroidScores(documents.Embeddings, representation, classOf)
            : TfidfScores(representation, documents.Texts, classOf, cancellationToken);
        var members = new List<int>[classes];
        for (var k = 0; k < classes; k++)
        {
            members[k] = [];
        }

        for (var d = 0; d < classOf.Length; d++)
        {
            members[classOf[d]].Add(d);
        }

        for (var k = 0; k < classes; k++)
        {
            var ranked = members[k].OrderByDescending(d => score[d]).ThenBy(d => d);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var picked = new List<int>(count);
            foreach (var d in ranked)
            {
                if (seen.Add(documents.Texts[d].Trim()))
                {
                    picked.Add(d);
                    if (picked.Count == count)
                    {
                        break;
                    }
                }
            }

            result[k] = [.. picked];
        }

        return result;
    }

    private static float[] CentroidScores(Matrix embeddings, TopicRepresentation representation, int[] classOf)
    {
        var scores = new float[classOf.Length];
        var norms = representation.Topics.Select(t => TensorPrimitives.Norm(t.Centroid!)).ToArray();
        for (var d = 0; d < scores.Length; d++)
        {
            var row = embeddings.RowReadOnly(d);
            var centroid = representation.Topics[classOf[d]].Centroid!;
            var norm = TensorPrimitives.Norm(row) * norms[classOf[d]];
            scores[d] = norm > 0 ? TensorPrimitives.Dot(row, centroid) / norm : 0f;
        }

        return scores;
    }

    private static float[] TfidfScores(TopicRepresentation representation, IReadOnlyList<string> texts, int[] classOf, CancellationToken cancellationToken)
    {
        var docs = representation.TransformSparse(texts, cancellationToken);
        var topics = representation.ClassTfidf;
        var topicNorms = TopicRepresentation.SparseRowNorms(topics);
        var scores = new float[classOf.Length];
        for (var d = 0; d < scores.Length; d++)
        {
            var k = classOf[d];
            var columns = topics.RowIndices(k);
            var weights = topics.RowValues(k);
            var idx = docs.RowIndices(d);
            var val = docs.RowValues(d);
            double dot = 0;
            for (var p = 0; p < idx.Length; p++)
            {
                var at = columns.BinarySearch(idx[p]);
                if (at >= 0)
                {
                    dot += val[p] * weights[at];
                }
            }

            var norm = TensorPrimitives.Norm(val) * topicNorms[k];
            scores[d] = norm > 0 ? (float)(dot / norm) : 0f;
        }

        return scores;
    }
}
