using TopicKit.Onnx;

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

    /// <summary>
    /// Whether idle ONNX Runtime worker threads spin between operators (default true, ONNX Runtime's own default):
    /// faster on a machine of its own, wasted CPU when other work shares the cores.
    /// </summary>
    public bool AllowSpinning { get; init; } = true;

    /// <summary>Graph optimisation level of the session (default <see cref="OnnxGraphOptimizationLevel.All"/>).</summary>
    public OnnxGraphOptimizationLevel GraphOptimizationLevel { get; init; } = OnnxGraphOptimizationLevel.All;

    /// <summary>The session options these settings give (one intra-op pool, sequential execution).</summary>
    internal OnnxSessionOptions ToSessionOptions() => new()
    {
        IntraOpThreads = Threads == 0 ? Environment.ProcessorCount : Threads,
        InterOpThreads = 1,
        GraphOptimizationLevel = GraphOptimizationLevel,
        ConfigEntries = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["session.intra_op.allow_spinning"] = AllowSpinning ? "1" : "0",
        },
    };
}
