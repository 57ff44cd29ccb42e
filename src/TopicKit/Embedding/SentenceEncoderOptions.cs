namespace TopicKit.Embedding;

/// <summary>How <see cref="OnnxSentenceEncoder"/> batches and runs the model.</summary>
public sealed record SentenceEncoderOptions
{
    /// <summary>Largest rows x padded length of one model call (default 4096 tokens).</summary>
    /// <remarks>Raised to the model's maximum length when smaller, so every text fits in one call.</remarks>
    public int TokenBudget { get; init; } = 4096;

    /// <summary>Largest number of texts in one model call (default 64).</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>ONNX Runtime intra-op threads; 0 (default) uses every core.</summary>
    public int Threads { get; init; }

    /// <summary>
    /// Texts tokenised and planned together (default 2048). Memory stays bounded by this, whatever the corpus
    /// size, and the next chunk is tokenised while the model runs the current one.
    /// </summary>
    public int ChunkSize { get; init; } = 2048;

    /// <summary>Text put before every input; <see langword="null"/> (default) uses the model's passage prefix.</summary>
    public string? Prefix { get; init; }
}
