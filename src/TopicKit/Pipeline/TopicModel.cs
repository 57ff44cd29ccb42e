using System.Globalization;
using TopicKit.Clustering;
using TopicKit.Corpus;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>
/// A BERTopic-style topic model: embed, reduce, cluster, represent, map. <see cref="Fit(IReadOnlyList{string}, Matrix?, IProgress{PipelineProgress}?, CancellationToken)"/>
/// returns an immutable <see cref="FittedTopicModel"/> that keeps every fitted stage, assigns new documents and can be saved.
/// </summary>
/// <example>
/// <code>
/// var model = new TopicModel().Fit(abstracts);
/// foreach (var topic in model.Topics) Console.WriteLine($"{topic.Id}: {topic.Label} ({topic.Size})");
/// model.Save("model");
/// var again = TopicModel.Load("model").Transform(["a new abstract"]);
/// </code>
/// </example>
public sealed class TopicModel
{
    /// <summary>Training documents whose nearest-neighbour similarity sets the default outlier threshold of <see cref="FittedTopicModel.Transform(Matrix, CancellationToken)"/>.</summary>
    internal const int SimilaritySample = 2000;

    /// <summary>Creates the model with <paramref name="options"/> (<see langword="null"/>: every stage at its default).</summary>
    public TopicModel(TopicModelOptions? options = null)
    {
        Options = options ?? new TopicModelOptions();
        ArgumentNullException.ThrowIfNull(Options.Clusterer);
        ArgumentNullException.ThrowIfNull(Options.Representer);
        ArgumentNullException.ThrowIfNull(Options.Transform);
        ArgumentOutOfRangeException.ThrowIfLessThan(Options.Transform.Neighbors, 1);
        if (!(Options.Transform.Temperature > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(options), "Transform.Temperature must be positive.");
        }
    }

    /// <summary>The stages.</summary>
    public TopicModelOptions Options { get; }

    /// <summary>Fits topics to documents, using the text <c>Title. Abstract</c> of each (as <c>topickit embed</c> does).</summary>
    /// <param name="documents">The corpus.</param>
    /// <param name="embeddings">Precomputed vectors, one row per document in order; <see langword="null"/> to encode the texts.</param>
    /// <param name="progress">Receives a message as each stage starts.</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    public FittedTopicModel Fit(
        IReadOnlyList<Document> documents, Matrix? embeddings = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var texts = documents.Select(d => EmbeddingText.For(d, EmbeddingTextField.TitleAbstract)).ToArray();
        return Fit(texts, embeddings, documents.Select(d => d.Id).ToArray(), progress, cancellationToken);
    }

    /// <summary>Fits topics to <paramref name="texts"/>.</summary>
    /// <param name="texts">One text per document.</param>
    /// <param name="embeddings">Precomputed vectors, one row per text in order; <see langword="null"/> to encode the texts with <see cref="TopicModelOptions.Encoder"/>.</param>
    /// <param name="progress">Receives a message as each stage starts.</param>
    /// <param name="cancellationToken">Stops the work early with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="ArgumentException">No texts, or embeddings whose shape does not match the texts or the encoder.</exception>
    /// <exception cref="InvalidDataException">An embedding value is NaN or infinite.</exception>
    public FittedTopicModel Fit(
        IReadOnlyList<string> texts, Matrix? embeddings = null, IProgress<PipelineProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Fit(texts, embeddings, null, progress, cancellationToken);

    /// <summary>Loads a model saved with <see cref="FittedTopicModel.Save"/>.</summary>
    /// <param name="directory">The model folder.</param>
    /// <param name="encoder">
    /// The encoder to assign new texts with. <see langword="null"/>: the saved lexical encoder, or the ONNX model folder
    /// recorded at fit time when it still holds the same model. A given encoder must have the saved model id.
    /// </param>
    /// <param name="cancellationToken">Stops the work early.</param>
    /// <exception cref="Storage.ModelFormatException">The folder is missing, damaged, foreign or newer, or the encoder differs.</exception>
    public static FittedTopicModel Load(string directory, ISentenceEncoder? encoder = null, CancellationToken cancellationToken = default) =>
        TopicModelFolder.Load(directory, encoder, cancellationToken);

    private FittedTopicModel Fit(
        IReadOnlyList<string> texts, Matrix? embeddings, IReadOnlyList<string>? ids, IProgress<PipelineProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var n = texts.Count;
        if (n < 2)
        {
            throw new ArgumentException(Invariant($"a topic model needs at least 2 documents; got {n}."), nameof(texts));
        }

        var encoder = Options.Encoder;
        if (embeddings is null)
        {
            if (encoder is null)
            {
                progress?.Report(new PipelineProgress("embed", Invariant($"fitting the lexical encoder (TF-IDF + SVD) on {n} texts")));
                encoder = LexicalEncoder.Fit(texts, cancellationToken: cancellationToken);
            }

            progress?.Report(new PipelineProgress("embed", Invariant($"encoding {n} texts with {encoder.ModelId}")));
            embeddings = encoder.Encode(texts, cancellationToken);
        }
        else
        {
            if (embeddings.Rows != n)
            {
                throw new ArgumentException(Invariant($"the embeddings have {embeddings.Rows} rows but there are {n} texts; give one row per text."), nameof(embeddings));
            }

            if (encoder is not null && encoder.Dimension != embeddings.Columns)
            {
                throw new ArgumentException(
                    Invariant($"the embeddings have {embeddings.Columns} columns but the encoder {encoder.ModelId} gives {encoder.Dimension}; they cannot come from it."), nameof(embeddings));
            }

            embeddings.EnsureFinite("embeddings");
        }

        cancellationToken.ThrowIfCancellationRequested();
        IFittedReducer? reducer = null;
        var space = embeddings;
        if (Options.Reducer is { } reduce && OutputColumns(reduce) is var columns && (columns is null || columns < embeddings.Columns))
        {
            progress?.Report(new PipelineProgress("reduce", Invariant($"reducing {n} x {embeddings.Columns} to {columns?.ToString(CultureInfo.InvariantCulture) ?? "fewer"} dimensions")));
            reducer = reduce.Fit(embeddings, cancellationToken);
            space = reducer.Embedding;
        }

        progress?.Report(new PipelineProgress("cluster", Invariant($"clustering {space.Rows} x {space.Columns}")));
        var clusterer = Options.Clusterer.Fit(space, cancellationToken);
        var clusterToTopic = TopicNumbering.BySize(clusterer.Assignment.Labels, clusterer.Assignment.ClusterCount);
        var topics = TopicNumbering.Apply(clusterer.Assignment.Labels, clusterToTopic);

        progress?.Report(new PipelineProgress("represent", Invariant($"describing {clusterToTopic.Count(t => t >= 0)} topics")));
        var documents = new TopicDocuments(texts, topics) { Embeddings = embeddings, Ids = ids };
        var representation = Options.Representer.Fit(documents, cancellationToken);
        var outliers = new OutlierSummary(topics.Count(t => t < 0), topics.Count(t => t < 0));
        if (Options.OutlierReduction is { } reduction && outliers.Before > 0)
        {
            progress?.Report(new PipelineProgress("outliers", Invariant($"reducing {outliers.Before} outliers ({reduction.Strategy})")));
            var reduced = OutlierReduction.Reduce(documents, representation, Options.Representer, reduction, null, cancellationToken);
            topics = reduced.Labels;
            representation = reduced.Representation;
            outliers = new OutlierSummary(reduced.OutliersBefore, reduced.OutliersAfter);
        }

        IFittedReducer? map = null;
        if (Options.MapReducer is { } mapReducer)
        {
            progress?.Report(new PipelineProgress("map", Invariant($"laying out {n} documents in 2-D")));
            map = embeddings.Columns <= 2 ? null : mapReducer.Fit(embeddings, cancellationToken);
        }

        var minSimilarity = Options.Transform.MinSimilarity ?? NeighborVote.DefaultMinSimilarity(embeddings, SimilaritySample, Options.Transform.MaxDegreeOfParallelism, cancellationToken);
        return new FittedTopicModel(new FittedTopicModel.Parts
        {
            Encoder = encoder,
            Ids = ids is null ? null : [.. ids],
            Embeddings = embeddings,
            Reducer = reducer,
            Clusterer = clusterer,
            ClusterToTopic = clusterToTopic,
            Topics = topics,
            Probabilities = (float[])clusterer.Assignment.Probabilities.Clone(),
            OutlierScores = (float[])clusterer.Assignment.OutlierScores.Clone(),
            Representation = representation,
            Outliers = outliers,
            MapReducer = map,
            Map = map?.Embedding ?? (embeddings.Columns <= 2 && Options.MapReducer is not null ? embeddings.Clone() : null),
            Transform = Options.Transform with { MinSimilarity = minSimilarity },
        });
    }

    /// <summary>The output dimension of the reducers TopicKit knows; <see langword="null"/> for others (always applied).</summary>
    private static int? OutputColumns(IReducer reducer) => reducer switch
    {
        Umap umap => umap.Options.NComponents,
        Pca pca => pca.Options.Components,
        _ => null,
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
