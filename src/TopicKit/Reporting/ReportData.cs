using TopicKit.Numerics;

namespace TopicKit.Reporting;

/// <summary>
/// Everything a report shows, as plain data: the report does not depend on how topics, hierarchies or duplicates were
/// computed, so any pipeline (or a script) can fill it. Validated by <see cref="ReportWriter.Write"/>.
/// </summary>
public sealed record ReportData
{
    /// <summary>Report title (page title and figure captions). Untrusted text: always escaped.</summary>
    public required string Title { get; init; }

    /// <summary>The documents in display order, one map point each.</summary>
    public required IReadOnlyList<ReportDocument> Documents { get; init; }

    /// <summary>The topics; <see cref="ReportDocument.Topic"/> refers to <see cref="ReportTopic.Id"/>.</summary>
    public required IReadOnlyList<ReportTopic> Topics { get; init; }

    /// <summary>
    /// Optional topic-by-topic similarity (square, rows and columns in <see cref="Topics"/> order, typically cosine of
    /// c-TF-IDF rows). Drives the heatmap and, without topic positions, the intertopic distance map.
    /// </summary>
    public Matrix? TopicSimilarity { get; init; }

    /// <summary>
    /// Optional topic hierarchy as a scipy linkage list: merge i joins clusters <see cref="ReportMerge.Left"/> and
    /// <see cref="ReportMerge.Right"/>, where ids below the topic count are indices into <see cref="Topics"/> and id
    /// <c>Topics.Count + i</c> is the cluster made by merge i. Orders the heatmap, draws the dendrogram and gives the
    /// interactive map its coarse labels.
    /// </summary>
    public IReadOnlyList<ReportMerge>? Hierarchy { get; init; }

    /// <summary>Optional topic counts per time bin; the topics-over-time figure is drawn only when present.</summary>
    public IReadOnlyList<ReportTimeBin>? TopicsOverTime { get; init; }

    /// <summary>Near-duplicate groups (empty when there are none).</summary>
    public IReadOnlyList<ReportDuplicateGroup> DuplicateGroups { get; init; } = [];

    /// <summary>
    /// Optional nearest neighbours per document: <c>Neighbors[i]</c> lists indices into <see cref="Documents"/>, nearest
    /// first, typically from the embedding space. When null, the report uses the nearest documents on the 2-D map.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>>? Neighbors { get; init; }
}

/// <summary>One document of the report. All text is untrusted and escaped wherever it is rendered.</summary>
/// <param name="Id">Unique document id.</param>
/// <param name="Title">Title, or null.</param>
/// <param name="Authors">Author names (may be empty).</param>
/// <param name="Date">Publication date, or null.</param>
/// <param name="Abstract">Abstract text (may be empty).</param>
/// <param name="Topic">Topic id, or -1 for an outlier.</param>
/// <param name="Probability">Topic membership probability in [0, 1].</param>
/// <param name="OutlierScore">Outlier score (GLOSH or distance; larger is more outlying).</param>
/// <param name="X">Map x coordinate.</param>
/// <param name="Y">Map y coordinate.</param>
public sealed record ReportDocument(
    string Id,
    string? Title,
    IReadOnlyList<string> Authors,
    DateOnly? Date,
    string Abstract,
    int Topic,
    double Probability,
    double OutlierScore,
    double X,
    double Y);

/// <summary>One topic.</summary>
/// <param name="Id">Topic id (non-negative, unique).</param>
/// <param name="Size">Number of documents in the topic.</param>
/// <param name="Label">Short human label, e.g. the top keywords joined.</param>
/// <param name="Keywords">Keywords with scores, best first.</param>
/// <param name="RepresentativeDocIds">Ids of representative documents, most representative first.</param>
public sealed record ReportTopic(
    int Id,
    int Size,
    string Label,
    IReadOnlyList<ReportKeyword> Keywords,
    IReadOnlyList<string> RepresentativeDocIds)
{
    /// <summary>Optional 2-D position of the topic for the intertopic distance map (e.g. UMAP of c-TF-IDF rows).</summary>
    public (double X, double Y)? Position { get; init; }
}

/// <summary>A topic keyword and its score (e.g. c-TF-IDF weight).</summary>
/// <param name="Word">The keyword.</param>
/// <param name="Score">Its score; larger is more characteristic.</param>
public sealed record ReportKeyword(string Word, double Score);

/// <summary>One row of a scipy-style linkage list.</summary>
/// <param name="Left">First merged cluster id.</param>
/// <param name="Right">Second merged cluster id.</param>
/// <param name="Distance">Merge distance (non-decreasing for a monotone hierarchy).</param>
public sealed record ReportMerge(int Left, int Right, double Distance);

/// <summary>Documents of one topic in one time bin.</summary>
/// <param name="Start">First day of the bin.</param>
/// <param name="Topic">Topic id.</param>
/// <param name="Count">Number of documents.</param>
public sealed record ReportTimeBin(DateOnly Start, int Topic, int Count);

/// <summary>A group of near-duplicate documents.</summary>
/// <param name="Ids">Member document ids.</param>
/// <param name="Canonical">The id chosen to represent the group (one of <paramref name="Ids"/>).</param>
/// <param name="Pairs">Scored member pairs.</param>
public sealed record ReportDuplicateGroup(IReadOnlyList<string> Ids, string Canonical, IReadOnlyList<ReportDuplicatePair> Pairs);

/// <summary>Two near-duplicate documents and how alike they are.</summary>
/// <param name="A">First document id.</param>
/// <param name="B">Second document id.</param>
/// <param name="Semantic">Semantic (embedding cosine) similarity.</param>
/// <param name="Lexical">Lexical (e.g. MinHash Jaccard) similarity.</param>
public sealed record ReportDuplicatePair(string A, string B, double Semantic, double Lexical);
