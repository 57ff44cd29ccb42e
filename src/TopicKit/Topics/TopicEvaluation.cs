using TopicKit.Clustering.Metrics;
using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>Quality figures of a topic model, outlier class left out of the topic measures.</summary>
/// <param name="Topics">Topics (outliers not counted).</param>
/// <param name="OutlierShare">Share of documents labelled -1.</param>
/// <param name="Diversity">Unique share of the top-25 c-TF-IDF words over all topics (1 = no word shared).</param>
/// <param name="Coherence">Mean NPMI of the top-10 keyword pairs per topic, documents as windows, in [-1, 1].</param>
/// <param name="VMeasure">V-measure against reference labels, when given.</param>
/// <param name="AdjustedRandIndex">Adjusted Rand index against reference labels, when given.</param>
/// <param name="Stability">Adjusted Rand index between this assignment and another seed's, when given.</param>
public sealed record TopicEvaluationResult(int Topics, double OutlierShare, double Diversity, double Coherence, double? VMeasure, double? AdjustedRandIndex, double? Stability);

/// <summary>Built-in topic evaluation (BERTopic declined to add it, #90, #437).</summary>
public static class TopicEvaluation
{
    /// <summary>Evaluates <paramref name="representation"/> fitted on <paramref name="documents"/>.</summary>
    /// <param name="documents">Texts and the labels the topics were fitted on.</param>
    /// <param name="representation">The topics.</param>
    /// <param name="referenceLabels">Ground-truth classes for V-measure and ARI (outliers count as one more cluster).</param>
    /// <param name="otherSeedLabels">Another run's labels, for stability.</param>
    /// <param name="cancellationToken">Stops the work.</param>
    public static TopicEvaluationResult Evaluate(
        TopicDocuments documents, TopicRepresentation representation, IReadOnlyList<int>? referenceLabels = null, IReadOnlyList<int>? otherSeedLabels = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(representation);
        documents.Validate();
        var labels = documents.Labels.ToArray();
        var outliers = labels.Count(l => l == -1);
        double? v = null, ari = null, stability = null;
        if (referenceLabels is not null)
        {
            Same(referenceLabels.Count, labels.Length, nameof(referenceLabels));
            var reference = referenceLabels.ToArray();
            v = ExternalMetrics.VMeasure(reference, labels).VMeasure;
            ari = ExternalMetrics.AdjustedRandIndex(reference, labels);
        }

        if (otherSeedLabels is not null)
        {
            Same(otherSeedLabels.Count, labels.Length, nameof(otherSeedLabels));
            stability = ExternalMetrics.AdjustedRandIndex(otherSeedLabels.ToArray(), labels);
        }

        return new TopicEvaluationResult(
            representation.Topics.Count(t => t.Id != -1),
            labels.Length == 0 ? 0 : (double)outliers / labels.Length,
            Diversity(representation),
            Coherence(representation, documents.Texts, cancellationToken: cancellationToken),
            v,
            ari,
            stability);
    }

    /// <summary>Distinct words among every topic's top <paramref name="words"/> c-TF-IDF terms, over their total count.</summary>
    public static double Diversity(TopicRepresentation representation, int words = 25)
    {
        ArgumentNullException.ThrowIfNull(representation);
        var all = new List<int>();
        for (var k = 0; k < representation.Topics.Count; k++)
        {
            if (representation.Topics[k].Id == -1)
            {
                continue;
            }

            var idx = representation.ClassTfidf.RowIndices(k).ToArray();
            var val = representation.ClassTfidf.RowValues(k).ToArray();
            all.AddRange(Enumerable.Range(0, idx.Length).Where(p => val[p] > 0).OrderByDescending(p => val[p]).ThenBy(p => idx[p]).Take(words).Select(p => idx[p]));
        }

        return all.Count == 0 ? 0 : (double)all.Distinct().Count() / all.Count;
    }

    /// <summary>
    /// Mean over topics of the mean NPMI of their top <paramref name="words"/> keyword pairs, counting co-occurrence per
    /// document: <c>log(p(a,b) / (p(a) p(b))) / -log p(a,b)</c>, -1 for pairs never seen together.
    /// </summary>
    public static double Coherence(TopicRepresentation representation, IReadOnlyList<string> texts, int words = 10, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(representation);
        ArgumentNullException.ThrowIfNull(texts);
        var counts = representation.CountTerms(texts, cancellationToken);
        var byTerm = counts.Transpose();
        var n = (double)texts.Count;
        var perTopic = new List<double>();
        foreach (var topic in representation.Topics.Where(t => t.Id != -1))
        {
            var columns = topic.Keywords.Take(words).Select(k => representation.ColumnOf(k.Term)).Where(c => c >= 0).ToArray();
            var pairs = new List<double>();
            for (var a = 0; a < columns.Length; a++)
            {
                for (var b = a + 1; b < columns.Length; b++)
                {
                    var da = byTerm.RowIndices(columns[a]);
                    var db = byTerm.RowIndices(columns[b]);
                    pairs.Add(Npmi(da.Length / n, db.Length / n, Intersection(da, db) / n));
                }
            }

            if (pairs.Count > 0)
            {
                perTopic.Add(pairs.Average());
            }
        }

        return perTopic.Count == 0 ? 0 : perTopic.Average();
    }

    internal static double Npmi(double pa, double pb, double pab)
    {
        if (pab <= 0)
        {
            return -1;
        }

        return pab >= 1 ? 1 : Math.Log(pab / (pa * pb)) / -Math.Log(pab);
    }

    private static int Intersection(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => SortedSpans.IntersectionCount(a, b);

    private static void Same(int count, int expected, string name)
    {
        if (count != expected)
        {
            throw new ArgumentException($"{count} labels for {expected} documents; give one per document.", name);
        }
    }
}
