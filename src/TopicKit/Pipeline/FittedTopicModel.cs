using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Numerics;
using TopicKit.Reduction;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>Topics of new documents from <see cref="FittedTopicModel.Transform(Matrix, CancellationToken)"/>.</summary>
/// <param name="Topics">Topic id per document, or -1 for an outlier.</param>
/// <param name="Probabilities">Confidence per document in [0, 1]: the winning share of the neighbour vote, or the clusterer's membership probability (0 for outliers).</param>
/// <param name="NearestSimilarity">Cosine similarity of each document to its nearest training document.</param>
/// <param name="Map">2-D map position per document (the similarity-weighted mean of its nearest training documents' positions), or <see langword="null"/> when the model has no map.</param>
public sealed record TopicPrediction(int[] Topics, float[] Probabilities, float[] NearestSimilarity, Matrix? Map)
{
    /// <summary>Whether document <paramref name="index"/> fits no topic.</summary>
    public bool IsOutlier(int index) => Topics[index] < 0;
}

/// <summary>How many training documents were outliers before and after outlier reduction (equal when none ran).</summary>
/// <param name="Before">Outliers the clusterer left.</param>
/// <param name="After">Outliers after <see cref="TopicModelOptions.OutlierReduction"/>.</param>
public sealed record OutlierSummary(int Before, int After)
{
    /// <summary>Documents that moved from the outlier class to a topic.</summary>
    public int Moved => Before - After;
}

/// <summary>
/// An immutable fitted <see cref="TopicModel"/>: per training document its topic, probability, outlier score and map
/// position; the topics; and every fitted stage, kept so new documents can be assigned and the model saved.
/// </summary>
public sealed class FittedTopicModel
{
    private readonly Parts _parts;

    internal FittedTopicModel(Parts parts)
    {
        _parts = parts;
    }

    /// <summary>The encoder of new texts; <see langword="null"/> when the model was fitted on given embeddings without one.</summary>
    public ISentenceEncoder? Encoder => _parts.Encoder;

    /// <summary>Number of training documents.</summary>
    public int DocumentCount => _parts.Topics.Length;

    /// <summary>Document ids, when the model was fitted on documents.</summary>
    public IReadOnlyList<string>? Ids => _parts.Ids;

    /// <summary>The training embeddings (N x d).</summary>
    public Matrix Embeddings => _parts.Embeddings;

    /// <summary>The fitted reduction before clustering; <see langword="null"/> when the embeddings were clustered as they are.</summary>
    public IFittedReducer? Reducer => _parts.Reducer;

    /// <summary>The fitted clusterer (its labels are cluster numbers; <see cref="DocumentTopics"/> are topic ids).</summary>
    public IFittedClusterer Clusterer => _parts.Clusterer;

    /// <summary>Topic id of each cluster label of <see cref="Clusterer"/> (topic 0 is the largest cluster).</summary>
    public IReadOnlyList<int> TopicOfCluster => _parts.ClusterToTopic;

    /// <summary>Topic id per training document, -1 for outliers.</summary>
    public IReadOnlyList<int> DocumentTopics => _parts.Topics;

    /// <summary>Membership probability per training document (0 for outliers).</summary>
    public IReadOnlyList<float> Probabilities => _parts.Probabilities;

    /// <summary>Outlier score per training document (GLOSH for HDBSCAN, distance to the centroid for k-means).</summary>
    public IReadOnlyList<float> OutlierScores => _parts.OutlierScores;

    /// <summary>The topic representation: keywords, labels, representative documents, c-TF-IDF.</summary>
    public TopicRepresentation Representation => _parts.Representation;

    /// <summary>Outliers before and after outlier reduction.</summary>
    public OutlierSummary Outliers => _parts.Outliers;

    /// <summary>The topics, ordered by id (-1, the outlier class, first when present).</summary>
    public IReadOnlyList<Topic> Topics => _parts.Representation.Topics;

    /// <summary>2-D map position per training document (N x 2), or <see langword="null"/> when the model has no map.</summary>
    public Matrix? Map => _parts.Map;

    /// <summary>The fitted 2-D map reduction, when there is one.</summary>
    public IFittedReducer? MapReducer => _parts.MapReducer;

    /// <summary>The transform settings, with the outlier similarity threshold resolved.</summary>
    public TopicTransformOptions TransformOptions => _parts.Transform;

    internal Parts State => _parts;

    /// <summary>Assigns new texts to the fitted topics (encoded with <see cref="Encoder"/>).</summary>
    /// <exception cref="InvalidOperationException">The model has no encoder (it was fitted on embeddings alone): pass embeddings.</exception>
    public TopicPrediction Transform(IReadOnlyList<string> texts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var encoder = Encoder ?? throw new InvalidOperationException(
            "this topic model was fitted on precomputed embeddings without an encoder; call Transform with the new documents' embeddings, or load it with an encoder.");
        return Transform(texts.Count == 0 ? new Matrix(0, Embeddings.Columns) : encoder.Encode(texts, cancellationToken), cancellationToken);
    }

    /// <summary>Assigns documents given by their embeddings (same model and dimension as the training embeddings).</summary>
    /// <remarks>
    /// <see cref="TopicAssignmentMethod.NeighborVote"/> (the default) votes among the nearest training documents in
    /// embedding space, so every training document gets its fitted topic back unless its neighbourhood outvotes it;
    /// <see cref="TopicAssignmentMethod.ReduceAndPredict"/> transforms with the fitted reducer and predicts with the
    /// clusterer, as BERTopic does. Either way a document less similar to every training document than
    /// <see cref="TopicTransformOptions.MinSimilarity"/> is an outlier.
    /// </remarks>
    /// <exception cref="ArgumentException">The column count differs from the training embeddings.</exception>
    public TopicPrediction Transform(Matrix embeddings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(embeddings);
        if (embeddings.Columns != Embeddings.Columns)
        {
            throw new ArgumentException(
                $"the new embeddings have {embeddings.Columns} columns but the model was fitted on {Embeddings.Columns}; encode them with the model's encoder.", nameof(embeddings));
        }

        embeddings.EnsureFinite("new embeddings");
        if (embeddings.Rows == 0)
        {
            return new TopicPrediction([], [], [], Map is null ? null : new Matrix(0, Map.Columns));
        }

        var vote = NeighborVote.Assign(Embeddings, _parts.Topics, Map, embeddings, TransformOptions, cancellationToken);
        if (TransformOptions.Method == TopicAssignmentMethod.NeighborVote)
        {
            return vote;
        }

        var space = Reducer?.Transform(embeddings, cancellationToken) ?? embeddings;
        var predicted = Clusterer.Predict(space, cancellationToken);
        var topics = TopicNumbering.Apply(predicted.Labels, _parts.ClusterToTopic);
        var probabilities = predicted.Probabilities;
        for (var i = 0; i < topics.Length; i++)
        {
            if (topics[i] < 0 || vote.NearestSimilarity[i] < (TransformOptions.MinSimilarity ?? double.NegativeInfinity))
            {
                topics[i] = -1;
                probabilities[i] = 0f;
            }
        }

        return new TopicPrediction(topics, probabilities, vote.NearestSimilarity, vote.Map);
    }

    /// <summary>The same fitted model with other transform settings (e.g. <see cref="TopicAssignmentMethod.ReduceAndPredict"/>); nothing is refitted.</summary>
    /// <remarks>A <see cref="TopicTransformOptions.MinSimilarity"/> of <see langword="null"/> keeps the fitted threshold.</remarks>
    public FittedTopicModel WithTransformOptions(TopicTransformOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Neighbors, 1);
        return new(_parts with { Transform = options with { MinSimilarity = options.MinSimilarity ?? TransformOptions.MinSimilarity } });
    }

    /// <summary>
    /// Writes the model into <paramref name="directory"/>: a versioned JSON manifest (stage kinds and options, the
    /// encoder's id, the topics) and <c>.npy</c> arrays, no pickle-style serialisation. The folder is replaced
    /// whole, so a crash never leaves a half-written model.
    /// </summary>
    public void Save(string directory) => TopicModelFolder.Save(this, directory);

    /// <summary>Everything a fitted model consists of; built by <see cref="TopicModel"/> and <see cref="TopicModelFolder"/>.</summary>
    internal sealed record Parts
    {
        public required ISentenceEncoder? Encoder { get; init; }

        public required string[]? Ids { get; init; }

        public required Matrix Embeddings { get; init; }

        public required IFittedReducer? Reducer { get; init; }

        public required IFittedClusterer Clusterer { get; init; }

        public required int[] ClusterToTopic { get; init; }

        public required int[] Topics { get; init; }

        public required float[] Probabilities { get; init; }

        public required float[] OutlierScores { get; init; }

        public required TopicRepresentation Representation { get; init; }

        public required OutlierSummary Outliers { get; init; }

        public required IFittedReducer? MapReducer { get; init; }

        public required Matrix? Map { get; init; }

        public required TopicTransformOptions Transform { get; init; }
    }
}
