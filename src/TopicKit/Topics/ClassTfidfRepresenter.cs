using TopicKit.Numerics;

namespace TopicKit.Topics;

/// <summary>
/// Represents topics by class-based TF-IDF, exactly BERTopic's <c>ClassTfidfTransformer</c>: the documents of each
/// label are counted as one joined document, weighted by <see cref="ClassTfidfWeighting"/>, and each topic's best
/// terms become its keywords (ties broken by term). An optional <see cref="IKeywordRefiner"/> re-ranks them.
/// </summary>
public sealed class ClassTfidfRepresenter : ITopicRepresenter
{
    // Refiners choose among the best c-TF-IDF terms, as BERTopic hands its representation models 30 words or more.
    private const int MinimumCandidates = 30;

    /// <summary>Creates a representer.</summary>
    /// <param name="options">Settings; null means the defaults.</param>
    public ClassTfidfRepresenter(ClassTfidfOptions? options = null)
        : this(options, null)
    {
    }

    /// <summary>Creates a representer whose keywords are re-ranked by <paramref name="refiner"/>.</summary>
    /// <param name="options">Settings; null means the defaults.</param>
    /// <param name="refiner">Keyword re-ranking (MMR, KeyBERT-inspired), or null for plain c-TF-IDF keywords.</param>
    public ClassTfidfRepresenter(ClassTfidfOptions? options, IKeywordRefiner? refiner)
    {
        Options = options ?? new ClassTfidfOptions();
        Options.Validate();
        Refiner = refiner;
    }

    /// <summary>The settings.</summary>
    public ClassTfidfOptions Options { get; }

    /// <summary>The keyword refiner, if any.</summary>
    public IKeywordRefiner? Refiner { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">When the documents are inconsistent or no term survives the filters.</exception>
    public TopicRepresentation Fit(TopicDocuments documents, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        documents.Validate();
        var ids = documents.Labels.Distinct().Order().ToArray();
        var rowOfId = new Dictionary<int, int>(ids.Length);
        for (var i = 0; i < ids.Length; i++)
        {
            rowOfId.Add(ids[i], i);
        }

        var classOf = new int[documents.Count];
        var sizes = new int[ids.Length];
        for (var d = 0; d < classOf.Length; d++)
        {
            classOf[d] = rowOfId[documents.Labels[d]];
            sizes[classOf[d]]++;
        }

        var analyzer = new TermAnalyzer(Options.NgramMin, Options.NgramMax, Options.EffectiveStopWords);
        var counts = ClassTermCounts.Build(documents.Texts, classOf, ids.Length, analyzer, Options.MinDocumentFrequency, cancellationToken);
        if (counts.Terms.Length == 0 && documents.Count > 0)
        {
            throw new ArgumentException(
                $"No term is left after tokenising, stop words and a minimum document frequency of {Options.MinDocumentFrequency}; lower it or use other stop words.");
        }

        var idf = ClassTfidfWeighting.Idf(counts, Options);
        var weights = ClassTfidfWeighting.Weights(counts, idf, Options.ReduceFrequentWords);
        var candidates = Refiner is null ? Options.TopN : Math.Max(Options.TopN, MinimumCandidates);
        var centroids = documents.Embeddings is null ? null : Centroids(documents.Embeddings, classOf, ids.Length);
        var topics = new Topic[ids.Length];
        for (var k = 0; k < ids.Length; k++)
        {
            var keywords = TopTerms(counts, weights, k, candidates);
            topics[k] = new Topic(ids[k], sizes[k], "", keywords, [], centroids?[k]);
        }

        var matrix = new SparseMatrix(counts.RowOffsets, counts.Columns, Array.ConvertAll(weights, w => (float)w), counts.Terms.Length);
        var representation = new TopicRepresentation(topics, counts.Terms, matrix, Array.ConvertAll(idf, v => (float)v), Options);
        var representative = RepresentativeDocuments.Select(representation, documents, classOf, Options.RepresentativeDocumentCount, cancellationToken);
        for (var k = 0; k < topics.Length; k++)
        {
            topics[k] = topics[k] with { RepresentativeDocuments = representative[k] };
        }

        if (Refiner is not null)
        {
            var refined = Refiner.Refine(representation.WithTopics(topics), documents, cancellationToken);
            for (var k = 0; k < topics.Length; k++)
            {
                topics[k] = topics[k] with { Keywords = refined[k] };
            }
        }

        for (var k = 0; k < topics.Length; k++)
        {
            var keywords = topics[k].Keywords.Take(Options.TopN).ToArray();
            topics[k] = topics[k] with { Keywords = keywords, Label = DefaultLabel(ids[k], keywords, Options.LabelWords) };
        }

        return representation.WithTopics(topics);
    }

    /// <summary>BERTopic's naming: the id and the first keywords joined by underscores, e.g. <c>3_spin_electron_phase_magnetic</c>.</summary>
    public static string DefaultLabel(int id, IReadOnlyList<TopicKeyword> keywords, int words)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        return string.Join('_', keywords.Take(words).Select(k => k.Term).Prepend(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static TopicKeyword[] TopTerms(ClassTermCounts counts, double[] weights, int row, int count)
    {
        var start = counts.RowOffsets[row];
        var end = counts.RowOffsets[row + 1];
        var order = new List<int>(end - start);
        for (var p = start; p < end; p++)
        {
            if (weights[p] > 0)
            {
                order.Add(p);
            }
        }

        // Columns are in term order, so a stable sort by score alone breaks ties by term.
        var sorted = order.OrderByDescending(p => weights[p]).Take(count);
        return sorted.Select(p => new TopicKeyword(counts.Terms[counts.Columns[p]], weights[p])).ToArray();
    }

    private static float[][] Centroids(Matrix embeddings, int[] classOf, int classes)
    {
        var sums = new double[classes][];
        var sizes = new int[classes];
        for (var k = 0; k < classes; k++)
        {
            sums[k] = new double[embeddings.Columns];
        }

        for (var d = 0; d < classOf.Length; d++)
        {
            var row = embeddings.RowReadOnly(d);
            var sum = sums[classOf[d]];
            for (var j = 0; j < row.Length; j++)
            {
                sum[j] += row[j];
            }

            sizes[classOf[d]]++;
        }

        var centroids = new float[classes][];
        for (var k = 0; k < classes; k++)
        {
            centroids[k] = Array.ConvertAll(sums[k], v => (float)(v / Math.Max(1, sizes[k])));
        }

        return centroids;
    }
}
