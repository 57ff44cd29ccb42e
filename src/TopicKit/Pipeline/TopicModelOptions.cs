using TopicKit.Clustering;
using TopicKit.Embedding;
using TopicKit.Neighbors;
using TopicKit.Reduction;
using TopicKit.Topics;

namespace TopicKit.Pipeline;

/// <summary>
/// The stages a <see cref="TopicModel"/> composes. Every default is BERTopic's unless said otherwise; each stage is
/// an object, so any <see cref="IReducer"/>, <see cref="IClusterer"/> or <see cref="ITopicRepresenter"/> can be
/// plugged in. Seeds live in each stage's own options.
/// </summary>
public sealed record TopicModelOptions
{
    /// <summary>
    /// Turns texts into vectors. <see langword="null"/> (default): when <see cref="TopicModel.Fit(IReadOnlyList{string}, Numerics.Matrix?, IProgress{PipelineProgress}?, CancellationToken)"/>
    /// gets no embeddings, a <see cref="LexicalEncoder"/> (TF-IDF + SVD, the offline default) is fitted on the texts
    /// and kept in the model.
    /// </summary>
    public ISentenceEncoder? Encoder { get; init; }

    /// <summary>
    /// The reduction before clustering: UMAP to 5 dimensions, 15 neighbours, cosine, <c>min_dist</c> 0 (tight clumps
    /// suit density clustering), seed 0. <see langword="null"/> clusters the embeddings directly; so does any reducer
    /// when the embeddings have no more columns than it would output.
    /// </summary>
    public IReducer? Reducer { get; init; } = new Umap(new UmapOptions { NComponents = 5, NNeighbors = 15, MinDist = 0.0, Metric = DistanceMetric.Cosine });

    /// <summary>The clusterer of the reduced space: HDBSCAN with a minimum cluster size of 10 (BERTopic's <c>min_topic_size</c>).</summary>
    public IClusterer Clusterer { get; init; } = new Hdbscan(new HdbscanOptions { MinClusterSize = 10 });

    /// <summary>Keywords, labels and representative documents per topic: class-based TF-IDF with its defaults.</summary>
    public ITopicRepresenter Representer { get; init; } = new ClassTfidfRepresenter();

    /// <summary>
    /// Outlier reduction after the topics are described: outliers move to their most similar topic and the topics are
    /// described again in the same step (keywords and sizes never disagree with the labels). <see langword="null"/>
    /// (default, as BERTopic) keeps HDBSCAN's outliers; <c>topickit run</c> turns it on.
    /// </summary>
    public OutlierReductionOptions? OutlierReduction { get; init; }

    /// <summary>
    /// The 2-D document map: UMAP to 2 dimensions from the embeddings, 15 neighbours, cosine, <c>min_dist</c> 0.1
    /// (as datamapplot and BERTopic's document plots). <see langword="null"/> skips the map.
    /// </summary>
    public IReducer? MapReducer { get; init; } = new Umap(new UmapOptions { NComponents = 2, NNeighbors = 15, MinDist = 0.1, Metric = DistanceMetric.Cosine });

    /// <summary>How <see cref="FittedTopicModel.Transform(IReadOnlyList{string}, CancellationToken)"/> assigns new documents.</summary>
    public TopicTransformOptions Transform { get; init; } = new();
}

/// <summary>How new documents are assigned to fitted topics.</summary>
public enum TopicAssignmentMethod
{
    /// <summary>
    /// A similarity-weighted vote of the nearest training documents in embedding space (the default): it needs no
    /// reducer transform, so a training document gets its own topic back and a lightly edited copy its original's.
    /// </summary>
    NeighborVote = 0,

    /// <summary>The fitted reducer's transform, then the clusterer's prediction (BERTopic's way: UMAP transform plus HDBSCAN approximate predict).</summary>
    ReduceAndPredict = 1,
}

/// <summary>Settings of <see cref="FittedTopicModel.Transform(IReadOnlyList{string}, CancellationToken)"/>.</summary>
public sealed record TopicTransformOptions
{
    /// <summary>The assignment method (default <see cref="TopicAssignmentMethod.NeighborVote"/>).</summary>
    public TopicAssignmentMethod Method { get; init; } = TopicAssignmentMethod.NeighborVote;

    /// <summary>Training documents that vote (default 10).</summary>
    public int Neighbors { get; init; } = 10;

    /// <summary>
    /// Sharpness of the vote: a neighbour at cosine similarity <c>s</c> weighs <c>exp((s - s_max) / Temperature)</c>
    /// (default 0.02), so a near-copy of a training document outweighs its more distant neighbours, while a new
    /// document between topics is decided by the whole neighbourhood.
    /// </summary>
    public double Temperature { get; init; } = 0.02;

    /// <summary>
    /// A new document whose nearest training document is less similar than this is an outlier (-1). Default
    /// <see langword="null"/>: the 1st percentile of the training documents' own nearest-neighbour similarity.
    /// </summary>
    public double? MinSimilarity { get; init; }

    /// <summary>Threads (-1 = all). Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;
}

/// <summary>Progress of a long pipeline step.</summary>
/// <param name="Stage">The stage running: <c>embed</c>, <c>reduce</c>, <c>cluster</c>, <c>represent</c>, <c>map</c>, <c>assign</c>, ...</param>
/// <param name="Message">A short human-readable description.</param>
public sealed record PipelineProgress(string Stage, string Message);
