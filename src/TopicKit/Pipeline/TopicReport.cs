using TopicKit.Corpus;
using TopicKit.Duplicates;
using TopicKit.Neighbors;
using TopicKit.Numerics;
using TopicKit.Reporting;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>What a report draws of one topic model or stored run, one entry per document in order.</summary>
/// <param name="Topics">Topic id per document (-1 for outliers).</param>
/// <param name="Probabilities">Membership probability per document.</param>
/// <param name="OutlierScores">Outlier score per document.</param>
/// <param name="Map">2-D map position per document (N x 2).</param>
/// <param name="Representation">The topics.</param>
/// <param name="Embeddings">The document embeddings (N x d), for the nearest neighbours.</param>
public sealed record TopicAssignment(
    IReadOnlyList<int> Topics, IReadOnlyList<float> Probabilities, IReadOnlyList<float> OutlierScores, Matrix Map, TopicRepresentation Representation, Matrix Embeddings);

/// <summary>Turns a fitted topic model, its documents and their duplicate groups into the plain data a report draws.</summary>
public static class TopicReport
{
    /// <summary>Above this many documents the report's "nearest neighbours" come from the 2-D map instead of an exact embedding search.</summary>
    public const int ExactNeighborLimit = 20_000;

    /// <summary>Builds the report data of a fitted model.</summary>
    /// <param name="title">The report title.</param>
    /// <param name="model">The fitted model; its training documents are <paramref name="documents"/>, in order.</param>
    /// <param name="documents">The documents (metadata and texts).</param>
    /// <param name="texts">The texts the model was fitted on (for topics over time).</param>
    /// <param name="duplicates">Duplicate groups over the same rows, or <see langword="null"/>.</param>
    /// <param name="neighbors">Nearest neighbours listed per document (default 8).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="ArgumentException">The documents do not match the model, or it has no 2-D map.</exception>
    public static ReportData Build(
        string title, FittedTopicModel model, IReadOnlyList<Document> documents, IReadOnlyList<string> texts, DuplicateReport? duplicates,
        int neighbors = 8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        var map = model.Map ?? throw new ArgumentException("the model has no 2-D map; fit it with a MapReducer.", nameof(model));
        return Build(
            title, new TopicAssignment(model.DocumentTopics, model.Probabilities, model.OutlierScores, map, model.Representation, model.Embeddings),
            documents, texts, duplicates, neighbors, cancellationToken);
    }

    /// <summary>Builds the report data of a topic assignment (a fitted model's, or a stored run's).</summary>
    /// <param name="title">The report title.</param>
    /// <param name="assignment">Topic, probability, outlier score, map position and embedding per document, and the topics.</param>
    /// <param name="documents">The documents (metadata and texts), in the assignment's order.</param>
    /// <param name="texts">The texts the topics were fitted on (for topics over time).</param>
    /// <param name="duplicates">Duplicate groups over the same rows, or <see langword="null"/>.</param>
    /// <param name="neighbors">Nearest neighbours listed per document (default 8).</param>
    /// <param name="cancellationToken">Stops the work.</param>
    /// <exception cref="ArgumentException">The documents do not match the assignment.</exception>
    public static ReportData Build(
        string title, TopicAssignment assignment, IReadOnlyList<Document> documents, IReadOnlyList<string> texts, DuplicateReport? duplicates,
        int neighbors = 8, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        ArgumentNullException.ThrowIfNull(documents);
        ArgumentNullException.ThrowIfNull(texts);
        var n = documents.Count;
        if (n != assignment.Topics.Count || texts.Count != n || assignment.Map.Rows != n || assignment.Embeddings.Rows != n
            || assignment.Probabilities.Count != n || assignment.OutlierScores.Count != n)
        {
            throw new ArgumentException(
                $"the report needs one topic, probability, outlier score, map row and embedding per document, in order; got {n} documents, {texts.Count} texts, "
                + $"{assignment.Topics.Count} topics, {assignment.Map.Rows} map rows and {assignment.Embeddings.Rows} embeddings.", nameof(documents));
        }

        var map = assignment.Map;
        var reportDocuments = new ReportDocument[n];
        for (var i = 0; i < n; i++)
        {
            var d = documents[i];
            reportDocuments[i] = new ReportDocument(
                d.Id, d.Title, d.Authors, d.Date, d.Abstract, assignment.Topics[i], assignment.Probabilities[i], assignment.OutlierScores[i], map[i, 0], map[i, 1]);
        }

        var representation = assignment.Representation;
        var topics = representation.Topics.Where(t => t.Id >= 0).Select(t => new ReportTopic(
            t.Id, t.Size, t.Label, [.. t.Keywords.Select(k => new ReportKeyword(k.Term, k.Score))], [.. t.RepresentativeDocuments.Select(r => documents[r].Id)])).ToArray();
        cancellationToken.ThrowIfCancellationRequested();

        Matrix? similarity = null;
        IReadOnlyList<ReportMerge>? hierarchy = null;
        if (topics.Length >= 2)
        {
            var s = TopicVectors.Similarity(representation, out var ids);
            if (ids.SequenceEqual(topics.Select(t => t.Id)))
            {
                similarity = new Matrix(ids.Length, ids.Length);
                for (var i = 0; i < ids.Length; i++)
                {
                    for (var j = 0; j < ids.Length; j++)
                    {
                        similarity[i, j] = (float)s[i, j];
                    }
                }
            }

            hierarchy = [.. TopicHierarchy.Build(representation).Merges.Select(m => new ReportMerge(m.Left, m.Right, m.Distance))];
        }

        return new ReportData
        {
            Title = title,
            Documents = reportDocuments,
            Topics = topics,
            TopicSimilarity = similarity,
            Hierarchy = hierarchy,
            TopicsOverTime = OverTime(assignment, documents, texts, cancellationToken),
            DuplicateGroups = duplicates is null ? [] : [.. duplicates.Groups.Select(g => Group(g, documents))],
            Neighbors = n <= ExactNeighborLimit && n > 1 ? Neighbors(assignment.Embeddings, Math.Min(neighbors, n - 1), cancellationToken) : null,
        };
    }

    private static ReportDuplicateGroup Group(NearDuplicateGroup group, IReadOnlyList<Document> documents) => new(
        [.. group.Members.Select(m => documents[m].Id)],
        documents[group.Canonical].Id,
        [.. group.Pairs.Select(p => new ReportDuplicatePair(documents[p.A].Id, documents[p.B].Id, p.Semantic ?? 0, p.Lexical ?? 0))]);

    private static ReportTimeBin[]? OverTime(TopicAssignment assignment, IReadOnlyList<Document> documents, IReadOnlyList<string> texts, CancellationToken cancellationToken)
    {
        var dated = Enumerable.Range(0, documents.Count).Where(i => documents[i].Date is not null).ToArray();
        if (dated.Length < 2 || dated.Select(i => documents[i].Date).Distinct().Count() < 2)
        {
            return null;
        }

        var labels = dated.Select(i => assignment.Topics[i]).ToArray();
        var slices = TopicsOverTime.OverTime(
            new TopicDocuments([.. dated.Select(i => texts[i])], labels), assignment.Representation,
            [.. dated.Select(i => documents[i].Date!.Value.ToDateTime(TimeOnly.MinValue))], bins: Math.Min(20, dated.Select(i => documents[i].Date).Distinct().Count()),
            cancellationToken: cancellationToken);
        return [.. slices.Where(s => s.TopicId >= 0 && s.Start is not null).Select(s => new ReportTimeBin(DateOnly.FromDateTime(s.Start!.Value), s.TopicId, s.Frequency))];
    }

    private static IReadOnlyList<int>[] Neighbors(Matrix embeddings, int k, CancellationToken cancellationToken)
    {
        var knn = ExactKnn.SearchSelf(embeddings, k, DistanceMetric.Cosine, -1, cancellationToken);
        var result = new IReadOnlyList<int>[embeddings.Rows];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = knn.IndicesOf(i).ToArray();
        }

        return result;
    }
}
