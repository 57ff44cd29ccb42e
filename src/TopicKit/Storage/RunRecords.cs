namespace TopicKit.Storage;

/// <summary>Life cycle of a run.</summary>
public enum RunStatus
{
    /// <summary>Created and not finished.</summary>
    Running = 0,

    /// <summary>Finished successfully.</summary>
    Completed = 1,

    /// <summary>Stopped by an error.</summary>
    Failed = 2,

    /// <summary>Stopped by the user.</summary>
    Cancelled = 3,
}

/// <summary>One run of a pipeline stage (clustering, topic extraction, ...).</summary>
/// <param name="Id">Store-assigned id, increasing with creation.</param>
/// <param name="Kind">What ran, e.g. <c>"hdbscan"</c>.</param>
/// <param name="ParametersJson">The run's parameters as a JSON document.</param>
/// <param name="CreatedUtc">When the run was created.</param>
/// <param name="Status">Current status.</param>
/// <param name="FinishedUtc">When the status left <see cref="RunStatus.Running"/>, if it did.</param>
public sealed record RunInfo(long Id, string Kind, string ParametersJson, DateTimeOffset CreatedUtc, RunStatus Status, DateTimeOffset? FinishedUtc);

/// <summary>A run's result for one document.</summary>
/// <param name="DocumentId">The document's store id.</param>
/// <param name="Label">Cluster or topic label; -1 for noise.</param>
/// <param name="Probability">Membership strength in [0, 1].</param>
/// <param name="OutlierScore">Outlier score (higher is more outlying).</param>
public sealed record RunResult(string DocumentId, int Label, float Probability, float OutlierScore);

/// <summary>A stored artifact's metadata.</summary>
/// <param name="Name">Unique name.</param>
/// <param name="Length">Size in bytes.</param>
/// <param name="UpdatedUtc">When it was last written.</param>
public sealed record ArtifactInfo(string Name, long Length, DateTimeOffset UpdatedUtc);

/// <summary>Embeddings cached for one model.</summary>
/// <param name="ModelId">The model's exact id.</param>
/// <param name="Dimension">Vector length.</param>
/// <param name="Count">Number of cached vectors.</param>
public sealed record EmbeddingModelInfo(string ModelId, int Dimension, long Count);
